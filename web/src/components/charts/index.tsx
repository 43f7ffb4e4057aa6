import { lazy, Suspense, type ComponentProps, type ComponentType } from "react";
import { Skeleton } from "@/components/ui/skeleton";

type Charts = typeof import("./Charts");

// One lazy chunk for all charts; each export is wrapped with a skeleton of its height.
function lazyChart<K extends "DailyChart" | "CsatChart" | "AgentsChart" | "CountsChart">(name: K) {
  // Typed loosely inside; the wrapper's props are the chart's own.
  const Lazy = lazy(async () => ({ default: (await import("./Charts"))[name] as unknown as ComponentType<Record<string, unknown>> }));
  return function Chart(props: ComponentProps<Charts[K]> & { label: string }) {
    const { label, ...rest } = props;
    return (
      <figure aria-label={label} className="m-0">
        <Suspense fallback={<Skeleton className="h-48 w-full" />}>
          <Lazy {...(rest as Record<string, unknown>)} />
        </Suspense>
      </figure>
    );
  };
}

export const DailyChart = lazyChart("DailyChart");
export const CsatChart = lazyChart("CsatChart");
export const AgentsChart = lazyChart("AgentsChart");
export const CountsChart = lazyChart("CountsChart");
export type { AgentBar } from "./Charts";
