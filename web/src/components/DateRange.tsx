import { useState } from "react";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

function isoDay(d: Date) {
  return d.toISOString().slice(0, 10);
}

/** A range of UTC days, the last 30 by default, as the API's `from` and exclusive `to`. */
export function useDateRange(days = 30) {
  const today = new Date();
  const [from, setFrom] = useState(isoDay(new Date(today.getTime() - (days - 1) * 86400_000)));
  // `to` is exclusive in the API; the form shows the last day included.
  const [until, setUntil] = useState(isoDay(today));
  const valid = !!from && !!until && from <= until;
  const to = valid ? isoDay(new Date(new Date(`${until}T00:00:00Z`).getTime() + 86400_000)) : "";
  return { from, until, to, valid, setFrom, setUntil };
}

export function DateRangePicker({ range, idPrefix }: { range: ReturnType<typeof useDateRange>; idPrefix: string }) {
  return (
    <div className="flex flex-wrap items-end gap-2">
      <div className="grid gap-1">
        <Label htmlFor={`${idPrefix}-from`}>From</Label>
        <Input id={`${idPrefix}-from`} type="date" value={range.from} max={range.until} onChange={(e) => range.setFrom(e.target.value)} className="w-40" />
      </div>
      <div className="grid gap-1">
        <Label htmlFor={`${idPrefix}-until`}>Until (inclusive)</Label>
        <Input id={`${idPrefix}-until`} type="date" value={range.until} min={range.from} onChange={(e) => range.setUntil(e.target.value)} className="w-40" />
      </div>
    </div>
  );
}
