import { describe, expect, it } from "vitest";
import { eventsUrl, LiveConnection, staleKeysFor, type LiveFrame, type LiveState } from "./live";

class FakeSocket {
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  constructor(readonly url: string) {}
  close() {
    this.closed = true;
  }
}

function harness() {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const frames: LiveFrame[] = [];
  const opens: boolean[] = [];
  const states: LiveState[] = [];
  const live = new LiveConnection({
    url: "ws://h/api/events?access_token=t",
    onFrame: (f) => frames.push(f),
    onOpen: (r) => opens.push(r),
    onState: (s) => states.push(s),
    socket: (u) => {
      const s = new FakeSocket(u);
      sockets.push(s);
      return s as unknown as WebSocket;
    },
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => {},
    random: () => 0,
  });
  return { live, sockets, timers, frames, opens, states };
}

describe("LiveConnection", () => {
  it("passes frames on and reconnects with growing delays after the server goes away", () => {
    const h = harness();
    h.live.start();
    h.sockets[0].onopen!();
    h.sockets[0].onmessage!({ data: JSON.stringify({ type: "approval.created", data: { id: "a" } }) });
    h.sockets[0].onmessage!({ data: "not json" });
    expect(h.frames).toEqual([{ type: "approval.created", data: { id: "a" } }]);
    expect(h.opens).toEqual([false]);

    // Server restart: the socket closes, two attempts fail, the third gets through.
    h.sockets[0].onclose!();
    expect(h.timers.map((t) => t.ms)).toEqual([250]);
    h.timers[0].fn();
    h.sockets[1].onclose!();
    h.timers[1].fn();
    expect(h.timers.map((t) => t.ms)).toEqual([250, 500]);
    h.sockets[2].onopen!();
    // The reconnection is reported, which is when the console catches up from REST.
    expect(h.opens).toEqual([false, true]);
    expect(h.states).toEqual(["connecting", "open", "reconnecting", "reconnecting", "reconnecting", "reconnecting", "open"]);

    // After a success the backoff starts over.
    h.sockets[2].onclose!();
    expect(h.timers[2].ms).toBe(250);
  });

  it("stops for good: no retry after stop, and late events of the old socket are ignored", () => {
    const h = harness();
    h.live.start();
    const first = h.sockets[0];
    first.onopen!();
    h.live.stop();
    expect(first.closed).toBe(true);
    first.onclose!();
    first.onmessage!({ data: JSON.stringify({ type: "agent.status", data: {} }) });
    expect(h.timers).toHaveLength(0);
    expect(h.frames).toHaveLength(0);
    expect(h.states.at(-1)).toBe("stopped");
  });
});

describe("staleKeysFor", () => {
  it("names the lists and the one conversation a frame changes", () => {
    expect(staleKeysFor({ type: "message.created", data: { conversationId: "c1" } })).toContainEqual(["conversation", "c1"]);
    expect(staleKeysFor({ type: "conversation.updated", data: { id: "c2" } })).toEqual(
      expect.arrayContaining([["conversations"], ["agent", "conversations"], ["conversation", "c2"]]),
    );
    expect(staleKeysFor({ type: "approval.created", data: {} })).toEqual(expect.arrayContaining([["queue"], ["agent", "approvals"]]));
    expect(staleKeysFor({ type: "agent.status", data: {} })).toContainEqual(["agents-status"]);
    expect(staleKeysFor({ type: "something.else", data: {} })).toEqual([]);
  });
});

describe("eventsUrl", () => {
  it("follows the page's scheme and escapes the token", () => {
    expect(eventsUrl({ protocol: "https:", host: "x.test" }, "a+b")).toBe("wss://x.test/api/events?access_token=a%2Bb");
    expect(eventsUrl({ protocol: "http:", host: "127.0.0.1:8080" }, "t")).toBe("ws://127.0.0.1:8080/api/events?access_token=t");
  });
});
