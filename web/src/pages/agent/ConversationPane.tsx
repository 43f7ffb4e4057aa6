import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft, Bot, Hand, Send, XCircle } from "lucide-react";
import { useState, type FormEvent } from "react";
import { QueryError } from "@/components/PageState";
import { ClassificationPanel, Transcript } from "@/components/Transcript";
import { StatusBadge } from "@/components/badges";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Dialog, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Textarea } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { useToast } from "@/components/ui/toast";
import { api, errorMessage } from "@/lib/api";
import { useSession } from "@/lib/session";
import type { ConversationDetail, ConversationView, MessageView } from "@/lib/types";

const MAX_MESSAGE = 4000;

function CloseDialog({ id, onClosed }: { id: string; onClosed: () => void }) {
  const [open, setOpen] = useState(false);
  const [resolution, setResolution] = useState("");
  const close = useMutation({
    mutationFn: () =>
      api.post<ConversationView>(`/api/agent/conversations/${encodeURIComponent(id)}/close`, resolution.trim() ? { resolution: resolution.trim() } : {}),
    onSuccess: () => {
      setOpen(false);
      onClosed();
    },
  });
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button size="sm" variant="outline">
          <XCircle aria-hidden /> Close
        </Button>
      </DialogTrigger>
      <DialogContent title="Close the conversation" description="The customer is asked to rate the conversation.">
        <div className="grid gap-4">
          {close.isError && <Alert kind="error">{errorMessage(close.error)}</Alert>}
          <Field id="close-resolution" label="Resolution (optional)" hint="How it ended, for the record." error={resolution.length > 1000 ? "At most 1000 characters" : undefined}>
            <Textarea id="close-resolution" value={resolution} onChange={(e) => setResolution(e.target.value)} />
          </Field>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button loading={close.isPending} disabled={resolution.length > 1000} onClick={() => close.mutate()}>
              Close conversation
            </Button>
          </DialogFooter>
        </div>
      </DialogContent>
    </Dialog>
  );
}

function ReplyBox({ id }: { id: string }) {
  const queryClient = useQueryClient();
  const [text, setText] = useState("");
  const send = useMutation({
    mutationFn: (content: string) => api.post<MessageView>(`/api/agent/conversations/${encodeURIComponent(id)}/messages`, { content }),
    onSuccess: (m) => {
      setText("");
      // Shown at once; the socket's message.created then refetches the same list.
      queryClient.setQueryData<ConversationDetail>(["conversation", id], (d) =>
        d && !d.messages.some((x) => x.id === m.id) ? { ...d, messages: [...d.messages, m] } : d,
      );
    },
  });
  const content = text.trim();
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (content && content.length <= MAX_MESSAGE) send.mutate(content);
  };
  return (
    <form onSubmit={onSubmit} className="grid gap-2 border-t pt-3">
      {send.isError && <Alert kind="error">{errorMessage(send.error)}</Alert>}
      <label htmlFor="reply" className="sr-only">
        Reply to the customer
      </label>
      <Textarea
        id="reply"
        value={text}
        placeholder="Write to the customer…"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          // Enter sends, Shift+Enter starts a new line, as in every chat.
          if (e.key === "Enter" && !e.shiftKey) onSubmit(e);
        }}
        aria-invalid={content.length > MAX_MESSAGE || undefined}
      />
      <div className="flex items-center justify-between gap-2 text-xs text-muted-foreground">
        <span>{content.length > MAX_MESSAGE ? `At most ${MAX_MESSAGE} characters` : "Enter sends; Shift+Enter for a new line."}</span>
        <Button type="submit" size="sm" loading={send.isPending} disabled={!content || content.length > MAX_MESSAGE}>
          <Send aria-hidden /> Send
        </Button>
      </div>
    </form>
  );
}

/** One conversation in the agent console: live transcript, classification and the actions. */
export function ConversationPane({ id, onBack }: { id: string; onBack: () => void }) {
  const me = useSession()?.user.id;
  const toast = useToast();
  const queryClient = useQueryClient();
  const q = useQuery({
    queryKey: ["conversation", id],
    queryFn: ({ signal }) => api.get<ConversationDetail>(`/api/agent/conversations/${encodeURIComponent(id)}`, undefined, signal),
  });
  const changed = (text: string) => {
    toast(text);
    void queryClient.invalidateQueries({ queryKey: ["conversation", id] });
    void queryClient.invalidateQueries({ queryKey: ["agent"] });
  };
  const action = useMutation({
    mutationFn: (what: "takeover" | "release") => api.post<ConversationView>(`/api/agent/conversations/${encodeURIComponent(id)}/${what}`, {}),
    onSuccess: (_, what) => changed(what === "takeover" ? "You own this conversation; the AI stopped answering." : "Released: the AI answers again."),
  });
  const c = q.data;
  const mine = !!c && c.assignedAgentId === me;
  const closed = c?.status === "closed";
  return (
    <Card className="min-w-0">
      <CardHeader className="flex-row flex-wrap items-center justify-between gap-2">
        <div className="flex items-center gap-2">
          <Button variant="ghost" size="icon" className="lg:hidden" aria-label="Back to the list" onClick={onBack}>
            <ArrowLeft />
          </Button>
          <CardTitle>{c?.category ?? "Conversation"}</CardTitle>
          {c && <StatusBadge value={c.status} />}
        </div>
        {c && !closed && (
          <div className="flex flex-wrap gap-2">
            {!(mine && c.status === "human") && (
              <Button size="sm" loading={action.isPending && action.variables === "takeover"} onClick={() => action.mutate("takeover")}>
                <Hand aria-hidden /> Take over
              </Button>
            )}
            {mine && c.status === "human" && (
              <Button size="sm" variant="outline" loading={action.isPending && action.variables === "release"} onClick={() => action.mutate("release")}>
                <Bot aria-hidden /> Release to AI
              </Button>
            )}
            {mine && <CloseDialog id={id} onClosed={() => changed("Closed: the customer was asked for a rating.")} />}
          </div>
        )}
      </CardHeader>
      <CardContent className="grid gap-4">
        {action.isError && <Alert kind="error">{errorMessage(action.error)}</Alert>}
        {q.isPending ? (
          <Skeleton className="h-64 w-full" />
        ) : q.isError ? (
          <QueryError error={q.error} retry={() => void q.refetch()} />
        ) : c ? (
          <div className="grid gap-4 xl:grid-cols-[1fr_16rem]">
            <div className="grid content-start gap-3">
              <div tabIndex={0} role="region" aria-label="Messages" className="max-h-[60vh] overflow-y-auto rounded-md pr-1 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring">
                <Transcript messages={c.messages} follow />
              </div>
              {mine && !closed ? (
                <ReplyBox id={id} />
              ) : (
                !closed && <p className="border-t pt-3 text-sm text-muted-foreground">Take the conversation over to reply.</p>
              )}
            </div>
            <div className="text-sm">
              <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-muted-foreground">Classification</h3>
              <ClassificationPanel classification={c.classification} />
            </div>
          </div>
        ) : null}
      </CardContent>
    </Card>
  );
}
