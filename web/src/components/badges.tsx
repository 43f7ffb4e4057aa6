import { Badge, type BadgeVariant } from "@/components/ui/badge";

const tone: Record<string, BadgeVariant> = {
  online: "success",
  ready: "success",
  approved: "success",
  active: "success",
  closed: "secondary",
  offline: "secondary",
  away: "warning",
  busy: "warning",
  processing: "warning",
  pending: "warning",
  human: "default",
  ai: "secondary",
  awaiting_approval: "warning",
  failed: "destructive",
  rejected: "destructive",
  escalated: "destructive",
  deactivated: "destructive",
  critical: "destructive",
  urgent: "destructive",
  high: "warning",
  medium: "secondary",
  low: "outline",
};

/** A status word in the colour people expect of it. */
export function StatusBadge({ value }: { value: string | null | undefined }) {
  if (!value) return <span className="text-muted-foreground">—</span>;
  return <Badge variant={tone[value] ?? "outline"}>{value.replace(/_/g, " ")}</Badge>;
}

export function YesNo({ value }: { value: boolean }) {
  return <Badge variant={value ? "success" : "secondary"}>{value ? "yes" : "no"}</Badge>;
}
