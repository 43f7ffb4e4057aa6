import type { HTMLAttributes } from "react";
import { cn } from "@/lib/utils";

const variants = {
  default: "border-transparent bg-primary/15 text-indigo-800 dark:text-indigo-200",
  secondary: "border-transparent bg-secondary text-secondary-foreground",
  success: "border-transparent bg-success/15 text-green-800 dark:text-success",
  warning: "border-transparent bg-warning/20 text-foreground",
  destructive: "border-transparent bg-destructive/15 text-destructive",
  outline: "text-foreground",
} as const;

export type BadgeVariant = keyof typeof variants;

export function Badge({ className, variant = "default", ...props }: HTMLAttributes<HTMLSpanElement> & { variant?: BadgeVariant }) {
  return (
    <span
      className={cn("inline-flex items-center gap-1 whitespace-nowrap rounded-md border px-2 py-0.5 text-xs font-medium", variants[variant], className)}
      {...props}
    />
  );
}
