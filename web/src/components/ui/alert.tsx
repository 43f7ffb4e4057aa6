import { AlertCircle, CheckCircle2, Info } from "lucide-react";
import type { ReactNode } from "react";
import { cn } from "@/lib/utils";

const styles = {
  error: "border-destructive/40 bg-destructive/10 text-destructive",
  success: "border-success/40 bg-success/10 text-green-800 dark:text-success",
  info: "border-border bg-muted text-foreground",
} as const;

/** An inline message: errors are announced to screen readers. */
export function Alert({
  kind = "error",
  title,
  children,
  className,
}: {
  kind?: keyof typeof styles;
  title?: string;
  children?: ReactNode;
  className?: string;
}) {
  const Icon = kind === "error" ? AlertCircle : kind === "success" ? CheckCircle2 : Info;
  return (
    <div role={kind === "error" ? "alert" : "status"} className={cn("flex gap-2 rounded-lg border px-3 py-2.5 text-sm", styles[kind], className)}>
      <Icon className="mt-0.5 size-4 shrink-0" aria-hidden />
      <div className="grid gap-0.5">
        {title && <p className="font-medium">{title}</p>}
        {children && <div className={title ? "opacity-90" : undefined}>{children}</div>}
      </div>
    </div>
  );
}
