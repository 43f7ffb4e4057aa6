import { Plus, X } from "lucide-react";
import { useFieldArray, type UseFormReturn } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { fieldProps } from "@/components/ui/field";
import { Input, Textarea } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { emptyParam, PARAM_TYPES, paramsToSchema, parseRawSchema, schemaToParams, validateParams } from "@/lib/toolSchema";
import { FieldMessage, Select, SrOnly, SwitchField } from "./controls";
import type { ToolFormValues } from "./toolForm";

const TYPE_LABELS = { string: "Text", number: "Number", integer: "Whole number", boolean: "True / false" } as const;

/**
 * The arguments' JSON Schema, as a list of parameters or as raw JSON. Switching converts
 * between the two and refuses, with the reason, when the JSON holds more than the list shows.
 */
export function ParameterEditor({ form }: { form: UseFormReturn<ToolFormValues> }) {
  const { control, register, watch, getValues, setValue, setError, clearErrors, formState } = form;
  const { fields, append, remove, replace } = useFieldArray({ control, name: "params" });
  const rawMode = watch("rawMode");
  const errors = formState.errors;

  const toggleRaw = (on: boolean) => {
    if (on) {
      const rows = getValues("params");
      const problems = validateParams(rows);
      if (problems.length) {
        for (const p of problems) setError(`params.${p.index}.${p.field}`, { type: "manual", message: p.message });
        return;
      }
      setValue("rawParameters", JSON.stringify(paramsToSchema(rows), null, 2));
      setValue("rawMode", true);
      return;
    }
    const parsed = parseRawSchema(getValues("rawParameters"));
    if (!parsed.ok) {
      setError("rawParameters", { type: "manual", message: parsed.error });
      return;
    }
    const rows = schemaToParams(parsed.value);
    if (!rows.ok) {
      setError("rawParameters", { type: "manual", message: `The list cannot show this schema (${rows.error}); keep editing it as JSON.` });
      return;
    }
    clearErrors("rawParameters");
    replace(rows.value);
    setValue("rawMode", false);
  };

  return (
    <fieldset className="grid gap-3 rounded-lg border p-3">
      <legend className="px-1 text-sm font-medium">Parameters</legend>
      <p className="text-xs text-muted-foreground">The arguments the AI passes, as a JSON Schema; the AI sees each description.</p>
      <SwitchField id="tool-raw-params" label="Edit as JSON" checked={rawMode} onChange={toggleRaw} hint="For nested objects, arrays or other JSON Schema keywords." />
      {rawMode ? (
        <div className="grid gap-1.5">
          <Label htmlFor="tool-raw-parameters">Parameters JSON Schema</Label>
          <Textarea {...fieldProps("tool-raw-parameters", errors.rawParameters?.message)} rows={10} spellCheck={false} className="font-mono text-xs" {...register("rawParameters")} />
          <FieldMessage id="tool-raw-parameters" error={errors.rawParameters?.message} />
        </div>
      ) : (
        <>
          {fields.length === 0 && <p className="text-sm text-muted-foreground">No parameters: the tool is called without arguments.</p>}
          <ol className="grid gap-3">
            {fields.map((row, i) => (
              <ParamRowFields key={row.id} form={form} index={i} onRemove={() => remove(i)} />
            ))}
          </ol>
          <div>
            <Button type="button" variant="outline" size="sm" onClick={() => append(emptyParam(), { shouldFocus: true })}>
              <Plus aria-hidden /> Add parameter
            </Button>
          </div>
        </>
      )}
    </fieldset>
  );
}

function ParamRowFields({ form, index, onRemove }: { form: UseFormReturn<ToolFormValues>; index: number; onRemove: () => void }) {
  const { register, watch, formState } = form;
  const e = formState.errors.params?.[index];
  const n = index + 1;
  const id = (f: string) => `tool-param-${index}-${f}`;
  const isBoolean = watch(`params.${index}.type`) === "boolean";
  return (
    <li className="grid gap-3 rounded-md border bg-muted/30 p-3">
      <div className="flex items-center justify-between gap-2">
        <span className="text-xs font-medium uppercase tracking-wide text-muted-foreground">Parameter {n}</span>
        <Button type="button" variant="ghost" size="icon" aria-label={`Remove parameter ${n}`} title="Remove" onClick={onRemove}>
          <X />
        </Button>
      </div>
      <div className="grid items-start gap-3 sm:grid-cols-2">
        <div className="grid gap-1.5">
          <Label htmlFor={id("name")}>
            Name <SrOnly>(parameter {n})</SrOnly>
          </Label>
          <Input {...fieldProps(id("name"), e?.name?.message)} autoComplete="off" spellCheck={false} className="font-mono" {...register(`params.${index}.name`)} />
          <FieldMessage id={id("name")} error={e?.name?.message} />
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor={id("type")}>
            Type <SrOnly>(parameter {n})</SrOnly>
          </Label>
          <Select id={id("type")} {...register(`params.${index}.type`)}>
            {PARAM_TYPES.map((t) => (
              <option key={t} value={t}>
                {TYPE_LABELS[t]}
              </option>
            ))}
          </Select>
        </div>
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor={id("description")}>
          Description <SrOnly>(parameter {n})</SrOnly>
        </Label>
        <Input id={id("description")} autoComplete="off" {...register(`params.${index}.description`)} />
      </div>
      {!isBoolean && (
        <div className="grid gap-1.5">
          <Label htmlFor={id("enum")}>
            Allowed values <SrOnly>(parameter {n})</SrOnly>
          </Label>
          <Input
            {...fieldProps(id("enum"), e?.enumText?.message)}
            aria-describedby={e?.enumText?.message ? `${id("enum")}-error` : `${id("enum")}-hint`}
            autoComplete="off"
            placeholder="any"
            {...register(`params.${index}.enumText`)}
          />
          {!e?.enumText?.message && (
            <p id={`${id("enum")}-hint`} className="text-xs text-muted-foreground">
              Optional, comma-separated.
            </p>
          )}
          <FieldMessage id={id("enum")} error={e?.enumText?.message} />
        </div>
      )}
      <label className="flex items-center gap-2 text-sm" htmlFor={id("required")}>
        <input id={id("required")} type="checkbox" className="size-4 accent-primary" {...register(`params.${index}.required`)} />
        Required <SrOnly>(parameter {n})</SrOnly>
      </label>
    </li>
  );
}
