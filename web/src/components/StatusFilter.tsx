import { Label } from "@/components/ui/label";

/** A labelled select filtering a list page (by status unless `label` says otherwise); `""` stands for every value. */
export function StatusFilter({
  id,
  statuses,
  value,
  onChange,
  label = "Status",
}: {
  id: string;
  statuses: string[];
  value: string;
  onChange: (status: string) => void;
  label?: string;
}) {
  return (
    <div className="flex items-center gap-2">
      <Label htmlFor={id}>{label}</Label>
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
