import { Label } from "@/components/ui/label";

/** A labelled status select for a list page; `""` stands for every status. */
export function StatusFilter({
  id,
  statuses,
  value,
  onChange,
}: {
  id: string;
  statuses: string[];
  value: string;
  onChange: (status: string) => void;
}) {
  return (
    <div className="flex items-center gap-2">
      <Label htmlFor={id}>Status</Label>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className="h-9 rounded-md border border-input bg-background px-2 text-sm"
      >
        {statuses.map((s) => (
          <option key={s} value={s}>
            {s ? s.replace(/_/g, " ") : "all"}
          </option>
        ))}
      </select>
    </div>
  );
}
