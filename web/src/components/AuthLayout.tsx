import { PhoneCall } from "lucide-react";
import type { ReactNode } from "react";
import { ThemeToggle } from "@/components/layout/ThemeToggle";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";

/** The centred card of the sign-in, registration and password pages. */
export function AuthLayout({ title, description, children, footer }: { title: string; description?: ReactNode; children: ReactNode; footer?: ReactNode }) {
  return (
    <div className="relative grid min-h-dvh place-items-center bg-muted/40 p-4">
      <div className="absolute right-3 top-3">
        <ThemeToggle />
      </div>
      <div className="grid w-full max-w-md gap-6">
        <div className="flex items-center justify-center gap-2 text-lg font-semibold">
          <span className="grid size-8 place-items-center rounded-lg bg-primary text-primary-foreground">
            <PhoneCall className="size-4" aria-hidden />
          </span>
          Switchboard
        </div>
        <Card>
          <CardHeader>
            <h1 className="text-xl font-semibold leading-none tracking-tight">{title}</h1>
            {description && <CardDescription>{description}</CardDescription>}
          </CardHeader>
          <CardContent>{children}</CardContent>
        </Card>
        {footer && <div className="text-center text-sm text-muted-foreground">{footer}</div>}
      </div>
    </div>
  );
}
