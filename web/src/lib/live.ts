// The staff event socket (`GET /api/events`). It is a fast path, not the record: every frame
// only marks the queries it concerns as stale, and each (re)connection marks everything stale,
// so a console that was away (server restart, network) catches up from the REST routes.
import { backoffDelay } from "@/widget/backoff";

export interface LiveFrame {
  type: string;
  data: Record<string, unknown>;
}

export type LiveState = "connecting" | "open" | "reconnecting" | "stopped";

/** The query-key prefixes a frame makes stale. */
export function staleKeysFor(frame: LiveFrame): unknown[][] {
  const id = (k: string) => (typeof frame.data?.[k] === "string" ? (frame.data[k] as string) : undefined);
  switch (frame.type) {
    case "agent.status":
      return [["agents-status"], ["agents"], ["agent", "status"]];
    case "approval.created":
    case "approval.updated":
      return [["queue"], ["agent", "approvals"], ["agent", "status"], ["performance"]];
    case "queue.updated":
      return [["queue"], ["agents-status"], ["agents"], ["agent", "status"], ["agent", "conversations"]];
    case "conversation.updated": {
      const c = id("id");
      return [["conversations"], ["agent", "conversations"], ["agent", "status"], ["performance"], ...(c ? [["conversation", c]] : [])];
    }
    case "message.created": {
      const c = id("conversationId");
      return [["agent", "conversations"], ...(c ? [["conversation", c]] : [])];
    }
    default:
      return [];
  }
}

/** The socket's URL for this page: same host, ws or wss, the token as `access_token`. */
export function eventsUrl(location: { protocol: string; host: string }, token: string): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/api/events?access_token=${encodeURIComponent(token)}`;
}

export interface LiveOptions {
  url: string;
  onFrame: (frame: LiveFrame) => void;
  /** Called on every successful (re)connection, the moment to catch up from REST. */
  onOpen: (reconnected: boolean) => void;
  onState?: (state: LiveState) => void;
  socket?: (url: string) => WebSocket;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
  random?: () => number;
}

/** Keeps one socket open, reconnecting with capped, jittered backoff until `stop`. */
export class LiveConnection {
  private ws: WebSocket | null = null;
  private timer: unknown = null;
  private attempt = 0;
  private opened = false;
  private stopped = false;

  constructor(private readonly o: LiveOptions) {}

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    if (this.timer != null) (this.o.clearTimer ?? clearTimeout)(this.timer as ReturnType<typeof setTimeout>);
    this.timer = null;
    const ws = this.ws;
    this.ws = null;
    ws?.close();
    this.o.onState?.("stopped");
  }

  private connect() {
    this.o.onState?.(this.opened ? "reconnecting" : "connecting");
    const ws = (this.o.socket ?? ((u) => new WebSocket(u)))(this.o.url);
    this.ws = ws;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      const reconnected = this.opened;
      this.opened = true;
      this.attempt = 0;
      this.o.onState?.("open");
      this.o.onOpen(reconnected);
    };
    ws.onmessage = (e: MessageEvent) => {
      if (this.ws !== ws || typeof e.data !== "string") return;
      try {
        const frame = JSON.parse(e.data) as LiveFrame;
        if (frame && typeof frame.type === "string") this.o.onFrame({ type: frame.type, data: frame.data ?? {} });
      } catch {
        // A frame that is not JSON is not ours to act on.
      }
    };
    ws.onclose = () => {
      if (this.ws !== ws || this.stopped) return;
      this.ws = null;
      this.o.onState?.("reconnecting");
      const delay = backoffDelay(this.attempt++, this.o.random);
      this.timer = (this.o.setTimer ?? setTimeout)(() => {
        this.timer = null;
        if (!this.stopped) this.connect();
      }, delay);
    };
    // An error is always followed by close, which schedules the retry.
    ws.onerror = () => {};
  }
}
