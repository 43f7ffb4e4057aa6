import { Plus, X } from "lucide-react";
import { useFieldArray, type UseFormReturn } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Field, fieldProps } from "@/components/ui/field";
import { Input, Textarea } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { FieldMessage, Select, SrOnly } from "./controls";
import { METHODS, SECRET_MASK, type ToolFormValues } from "./toolForm";

export function WebhookFields({ form }: { form: UseFormReturn<ToolFormValues> }) {
  const { register, formState } = form;
  const e = formState.errors;
  return (
    <div className="grid gap-4">
      <Field id="tool-url" label="URL" error={e.url?.message} hint="The arguments are sent as the JSON body (as the query for GET); the JSON reply is the result.">
        <Input {...fieldProps("tool-url", e.url?.message)} type="url" inputMode="url" autoComplete="off" spellCheck={false} placeholder="https://api.example.com/refunds" {...register("url")} />
      </Field>
      <div className="grid items-start gap-4 sm:grid-cols-2">
        <Field id="tool-method" label="Method" error={e.method?.message}>
          <Select {...fieldProps("tool-method", e.method?.message)} {...register("method")}>
            {METHODS.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="tool-timeout" label="Timeout (ms)" error={e.timeoutMs?.message} hint="100–30000; empty for the default.">
          <Input {...fieldProps("tool-timeout", e.timeoutMs?.message)} inputMode="numeric" autoComplete="off" placeholder="default" {...register("timeoutMs")} />
        </Field>
      </div>
      <HeaderRows form={form} />
    </div>
  );
}

/** Header values are write-only on the server: stored ones come back masked and stay as they are unless retyped. */
function HeaderRows({ form }: { form: UseFormReturn<ToolFormValues> }) {
  const { control, register, formState } = form;
  const { fields, append, remove } = useFieldArray({ control, name: "headers" });
  const errors = formState.errors.headers;
  return (
    <fieldset className="grid gap-2" aria-describedby="tool-headers-hint">
      <legend className="mb-1.5 text-sm font-medium leading-none">Headers</legend>
      <p id="tool-headers-hint" className="text-xs text-muted-foreground">
        Sent with every call, e.g. an API key. Values are kept secret: a stored value shows as {SECRET_MASK} and is kept unless you type a new one.
      </p>
      {fields.length > 0 && (
        <ul className="grid gap-2">
          {fields.map((row, i) => {
            const n = i + 1;
            const nameError = errors?.[i]?.name?.message;
            const valueError = errors?.[i]?.value?.message;
            return (
              <li key={row.id} className="grid gap-1">
                <div className="flex flex-wrap items-center gap-2 sm:flex-nowrap">
                  <div className="grid min-w-0 flex-1 basis-32 gap-1">
                    <Label htmlFor={`tool-header-${i}-name`} className="text-xs text-muted-foreground">
                      Header name <SrOnly>{n}</SrOnly>
                    </Label>
                    <Input {...fieldProps(`tool-header-${i}-name`, nameError)} autoComplete="off" spellCheck={false} placeholder="Authorization" {...register(`headers.${i}.name`)} />
                  </div>
                  <div className="grid min-w-0 flex-1 basis-40 gap-1">
                    <Label htmlFor={`tool-header-${i}-value`} className="text-xs text-muted-foreground">
                      Header value <SrOnly>{n}</SrOnly>
                    </Label>
                    <Input {...fieldProps(`tool-header-${i}-value`, valueError)} autoComplete="off" spellCheck={false} {...register(`headers.${i}.value`)} />
                  </div>
                  <Button type="button" variant="ghost" size="icon" className="self-end" aria-label={`Remove header ${n}`} title="Remove" onClick={() => remove(i)}>
                    <X />
                  </Button>
                </div>
                <FieldMessage id={`tool-header-${i}-name`} error={nameError} />
                <FieldMessage id={`tool-header-${i}-value`} error={valueError} />
              </li>
            );
          })}
        </ul>
      )}
      <div>
        <Button type="button" variant="outline" size="sm" disabled={fields.length >= 32} onClick={() => append({ name: "", value: "" }, { shouldFocus: true })}>
          <Plus aria-hidden /> Add header
        </Button>
      </div>
    </fieldset>
  );
}

export function FunctionFields({ form }: { form: UseFormReturn<ToolFormValues> }) {
  const { register, formState } = form;
  const error = formState.errors.script?.message;
  return (
    <Field
      id="tool-script"
      label="Script"
      error={error}
      hint={
        <>
          A <a className="underline" href="https://rhai.rs/book/" target="_blank" rel="noreferrer">Rhai</a> script run in a sandbox. The validated arguments are the map <code className="font-mono">args</code>; the script's last value (a string or a map) is the result.
        </>
      }
    >
      <Textarea
        {...fieldProps("tool-script", error)}
        rows={10}
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        className="font-mono text-xs"
        placeholder={'let total = args.quantity * 2;\n#{ total: total }'}
        {...register("script")}
      />
    </Field>
  );
}
