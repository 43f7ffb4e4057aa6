import { Plus, X } from "lucide-react";
import { Controller, useFieldArray, type Control, type FieldErrors, type UseFormRegister } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Field, fieldProps } from "@/components/ui/field";
import { Input, Textarea } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Switch } from "@/components/ui/switch";
import { MAX_VARIANTS, type FaqInput, type FaqValues } from "./schema";

/** The other phrasings of the question, as a list of rows that can be added and removed. */
function Phrasings({ control, register, errors }: { control: Control<FaqInput, unknown, FaqValues>; register: UseFormRegister<FaqInput>; errors: FieldErrors<FaqInput> }) {
  const { fields, append, remove } = useFieldArray({ control, name: "variants" });
  const listError = errors.variants?.message ?? errors.variants?.root?.message;
  return (
    <fieldset className="grid gap-2" aria-describedby="faq-variants-hint">
      <legend className="mb-1.5 text-sm font-medium leading-none">Other phrasings</legend>
      <p id="faq-variants-hint" className="text-xs text-muted-foreground">
        Other ways customers ask the same question; every phrasing is matched.
      </p>
      {fields.length > 0 && (
        <ul className="grid gap-2">
          {fields.map((row, i) => {
            const id = `faq-variant-${i}`;
            const error = errors.variants?.[i]?.value?.message;
            return (
              <li key={row.id} className="grid gap-1">
                <div className="flex items-center gap-2">
                  <Label htmlFor={id} className="sr-only">
                    Phrasing {i + 1}
                  </Label>
                  <Input {...fieldProps(id, error)} autoComplete="off" {...register(`variants.${i}.value`)} />
                  <Button type="button" variant="ghost" size="icon" aria-label={`Remove phrasing ${i + 1}`} title="Remove" onClick={() => remove(i)}>
                    <X />
                  </Button>
                </div>
                {error && (
                  <p id={`${id}-error`} role="alert" className="text-xs font-medium text-destructive">
                    {error}
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {listError && (
        <p role="alert" className="text-xs font-medium text-destructive">
          {listError}
        </p>
      )}
      <div>
        <Button type="button" variant="outline" size="sm" disabled={fields.length >= MAX_VARIANTS} onClick={() => append({ value: "" }, { shouldFocus: true })}>
          <Plus aria-hidden /> Add phrasing
        </Button>
      </div>
    </fieldset>
  );
}

export function FaqFields({ control, register, errors }: { control: Control<FaqInput, unknown, FaqValues>; register: UseFormRegister<FaqInput>; errors: FieldErrors<FaqInput> }) {
  return (
    <>
      <Field id="faq-question" label="Question" error={errors.question?.message}>
        <Input {...fieldProps("faq-question", errors.question?.message)} autoComplete="off" {...register("question")} />
      </Field>
      <Field id="faq-answer" label="Answer" error={errors.answer?.message} hint="Sent to the customer word for word.">
        <Textarea {...fieldProps("faq-answer", errors.answer?.message)} rows={5} {...register("answer")} />
      </Field>
      <Phrasings control={control} register={register} errors={errors} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="faq-category" label="Category (optional)" error={errors.category?.message}>
          <Input {...fieldProps("faq-category", errors.category?.message)} autoComplete="off" {...register("category")} />
        </Field>
        <Field id="faq-tags" label="Tags (optional)" error={errors.tags?.message} hint="Comma-separated.">
          <Input {...fieldProps("faq-tags", errors.tags?.message)} autoComplete="off" {...register("tags")} />
        </Field>
      </div>
      <Controller
        control={control}
        name="enabled"
        render={({ field }) => (
          <div className="flex items-center gap-3">
            <Switch id="faq-enabled" checked={field.value} onCheckedChange={field.onChange} onBlur={field.onBlur} aria-describedby="faq-enabled-hint" />
            <div className="grid gap-1">
              <Label htmlFor="faq-enabled">Enabled</Label>
              <p id="faq-enabled-hint" className="text-xs text-muted-foreground">
                A disabled FAQ is kept but never matched.
              </p>
            </div>
          </div>
        )}
      />
    </>
  );
}
