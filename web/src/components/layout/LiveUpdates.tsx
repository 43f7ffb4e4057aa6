import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { eventsUrl, LiveConnection, staleKeysFor, type LiveState } from "@/lib/live";
import { useSession } from "@/lib/session";
import { cn } from "@/lib/utils";

/**
 * Holds the staff event socket while a signed-in page is shown and shows its state. Frames
 * mark the queries they concern stale; a reconnection marks all of them stale.
 */
export function LiveUpdates() {
  const session = useSession();
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>("connecting");
  const token = session?.token;

  useEffect(() => {
    if (!token || typeof WebSocket === "undefined") return;
    const live = new LiveConnection({
      url: eventsUrl(window.location, token),
      onState: setState,
      onOpen: (reconnected) => {
        if (reconnected) void queryClient.invalidateQueries();
      },
      onFrame: (frame) => {
        for (const queryKey of staleKeysFor(frame)) void queryClient.invalidateQueries({ queryKey });
      },
    });
    live.start();
    return () => live.stop();
  }, [token, queryClient]);

  const open = state === "open";
  return (
    <span
      role="status"
      className="hidden items-center gap-1.5 rounded-full border px-2 py-0.5 text-xs text-muted-foreground sm:inline-flex"
      title={open ? "Changes appear as they happen" : "Trying to reach the server; pages refresh when it is back"}
      data-live={state}
    >
      <span aria-hidden className={cn("size-2 rounded-full", open ? "bg-emerald-500" : "animate-pulse bg-amber-500")} />
      {open ? "Live" : state === "connecting" ? "Connecting" : "Reconnecting"}
    </span>
  );
}
