import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery } from "@tanstack/react-query";
import { Search } from "lucide-react";
import { useForm } from "react-hook-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Field, fieldProps } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { api, ApiError, errorMessage } from "@/lib/api";
import { applyApiErrors } from "@/lib/forms";
import type { ConfigView } from "@/lib/types";
import { searchSchema, type SearchInput, type SearchValues } from "./schemas";
import { SearchResults } from "./SearchResults";
import type { SearchHit, SearchRequest } from "./types";

/** The API's threshold when the company has not set one (switchboard_ai::knowledge). */
const DEFAULT_ANSWER_THRESHOLD = 0.48;
const SEARCH_FIELDS = ["query", "topK"] as const;

export function RetrievalTest() {
  const { register, handleSubmit, formState, setError } = useForm<SearchInput, unknown, SearchValues>({
    resolver: zodResolver(searchSchema),
    defaultValues: { query: "", topK: 5, showAll: false },
  });
  const e = formState.errors;
  const search = useMutation({
    mutationFn: (body: SearchRequest) => api.post<SearchHit[]>("/api/ai/knowledge-base/search", body),
  });
  // The company's threshold, to mark the passages the AI would not answer from; read only
  // once someone searches, so the page opens with one request fewer.
  const config = useQuery({
    queryKey: ["config"],
    queryFn: ({ signal }) => api.get<ConfigView>("/api/admin/config", undefined, signal),
    enabled: search.isSuccess,
  });
  const configured = config.data?.ai?.answerThreshold;
  const threshold = typeof configured === "number" ? configured : config.isSuccess ? DEFAULT_ANSWER_THRESHOLD : null;

  const onSubmit = handleSubmit(async (v) => {
    try {
      await search.mutateAsync({ query: v.query, topK: v.topK, ...(v.showAll ? { threshold: 0 } : {}) });
    } catch (err) {
      // Field problems go on the fields; anything else is shown by the mutation's error.
      if (err instanceof ApiError && err.code === "validation_error") applyApiErrors(err, setError, SEARCH_FIELDS);
    }
  });

  const hits = search.data;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Retrieval testing</CardTitle>
        <CardDescription>Ask what a customer would ask and see which passages the AI would find, how they score and which search path found them.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <form onSubmit={onSubmit} noValidate className="grid gap-3" role="search" aria-label="Retrieval testing">
          <div className="flex flex-col gap-3 sm:flex-row sm:items-start">
            <div className="min-w-0 flex-1">
              <Field id="kb-query" label="Test a question" error={e.query?.message}>
                <Input {...fieldProps("kb-query", e.query?.message)} placeholder="e.g. How long do refunds take?" autoComplete="off" {...register("query")} />
              </Field>
            </div>
            <div className="w-28">
              <Field id="kb-topk" label="Passages" error={e.topK?.message}>
                <Input {...fieldProps("kb-topk", e.topK?.message)} type="number" min={1} max={50} inputMode="numeric" {...register("topK")} />
              </Field>
            </div>
            <Button type="submit" className="sm:mt-5" loading={search.isPending}>
              <Search aria-hidden /> Search
            </Button>
          </div>
          <div className="flex items-center gap-2">
            <input id="kb-show-all" type="checkbox" className="size-4 accent-primary" {...register("showAll")} />
            <Label htmlFor="kb-show-all" className="font-normal">
              Include passages below the answer threshold
            </Label>
          </div>
        </form>
        {search.isError && !(search.error instanceof ApiError && search.error.code === "validation_error" && search.error.fields.length > 0) && (
          <Alert kind="error">{errorMessage(search.error)}</Alert>
        )}
        {hits && (
          <section aria-label="Retrieval results" className="grid gap-3">
            <p role="status" className="text-sm text-muted-foreground">
              {hits.length === 0
                ? "No passage scored above the threshold: the AI would not answer this from the documents (an FAQ may still match)."
                : `${hits.length} ${hits.length === 1 ? "passage" : "passages"}, best first${threshold !== null ? `; answer threshold ${threshold.toFixed(2)}` : ""}.`}
            </p>
            {hits.length > 0 && <SearchResults hits={hits} threshold={threshold} />}
          </section>
        )}
      </CardContent>
    </Card>
  );
}
