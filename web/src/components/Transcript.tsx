import { Bot, FileText, Info, UserRound, Headset } from "lucide-react";
import { useEffect, useRef } from "react";
import { StatusBadge } from "@/components/badges";
import { formatDateTime } from "@/lib/format";
import { cn } from "@/lib/utils";
import type { ClassificationView, MessageView, VerdictView } from "@/lib/types";

const who: Record<string, { name: string; icon: typeof Bot }> = {
  customer: { name: "Customer", icon: UserRound },
  ai: { name: "AI", icon: Bot },
  agent: { name: "Agent", icon: Headset },
  system: { name: "System", icon: Info },
};

/** A conversation's messages, oldest first, with the passages each AI answer cited. */
export function Transcript({ messages, follow = false }: { messages: MessageView[]; follow?: boolean }) {
  const end = useRef<HTMLLIElement>(null);
  useEffect(() => {
    // jsdom has no scrollIntoView; a live console keeps the newest message in view.
    if (follow) end.current?.scrollIntoView?.({ block: "nearest" });
  }, [follow, messages.length]);
  if (messages.length === 0) return <p className="py-6 text-center text-sm text-muted-foreground">No messages yet.</p>;
  return (
    <ol className="grid gap-3" aria-label="Transcript">
      {messages.map((m) => {
        const w = who[m.sender] ?? { name: m.sender, icon: Info };
        const Icon = w.icon;
        const mine = m.sender === "customer";
        return (
          <li key={m.id} className={cn("flex gap-2", mine ? "justify-start" : "justify-end")}>
            <div
              className={cn(
                "grid max-w-[85%] gap-1 rounded-lg border px-3 py-2 text-sm",
                mine ? "bg-muted/60" : m.sender === "system" ? "border-dashed bg-transparent text-muted-foreground" : "bg-card",
              )}
            >
              <div className="flex items-center gap-1.5 text-xs text-muted-foreground">
                <Icon className="size-3.5" aria-hidden />
                <span className="font-medium">{w.name}</span>
                <time dateTime={m.createdAt}>{formatDateTime(m.createdAt)}</time>
              </div>
              <p className="whitespace-pre-wrap break-words">{m.content}</p>
              {m.citations.length > 0 && (
                <ul className="grid gap-1 border-t pt-1" aria-label="Sources">
                  {m.citations.map((c, i) => (
                    <li key={`${c.documentId}-${i}`} className="text-xs">
                      <span className="inline-flex items-center gap-1 font-medium">
                        <FileText className="size-3" aria-hidden /> {c.title}
                      </span>
                      <span className="block text-muted-foreground">“{c.excerpt}”</span>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </li>
        );
      })}
      <li ref={end} aria-hidden className="h-0" />
    </ol>
  );
}

function VerdictRow({ name, v }: { name: string; v?: VerdictView }) {
  if (!v) return null;
  const value = v.label ?? v.level;
  return (
    <div className="grid gap-1 border-b py-2 last:border-0">
      <div className="flex items-center justify-between gap-2 text-sm">
        <span className="text-muted-foreground">{name}</span>
        <span className="flex items-center gap-2">
          <StatusBadge value={value} />
          <span className="tabular-nums text-xs text-muted-foreground">{v.score.toFixed(2)}</span>
        </span>
      </div>
      {v.reasons.length > 0 && (
        <ul className="list-disc pl-5 text-xs text-muted-foreground">
          {v.reasons.map((r, i) => (
            <li key={i}>{r}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** What the classifier said about the conversation's first request, and why. */
export function ClassificationPanel({ classification }: { classification: unknown }) {
  const c = classification as ClassificationView | null;
  if (!c || !c.category) {
    return <p className="text-sm text-muted-foreground">Not classified yet: the customer has not written.</p>;
  }
  return (
    <div aria-label="Classification">
      {c.outOfScope && <p className="mb-2 text-xs text-muted-foreground">No category fitted well; filed as general.</p>}
      <VerdictRow name="Category" v={c.category} />
      <VerdictRow name="Priority" v={c.priority} />
      <VerdictRow name="Urgency" v={c.urgency} />
      <VerdictRow name="Sentiment" v={c.sentiment} />
    </div>
  );
}
