// The chat bubble: a shadow root holding the launcher and the panel, driven by the reducer in
// frames.ts, the REST calls in api.ts and the customer socket.

import { WidgetApi, WidgetApiError, type ChatResponse } from "./api";
import { backoffDelay } from "./backoff";
import { safeColor, textOn } from "./colors";
import { addLocal, applyFrame, applyOpeningFrame, citationChips, displayText, dropLocal, initialState, insertFirst, lastStoredId, mergeHistory, parseFrame, upsertMessage, type ChatState } from "./frames";
import { clearSession, loadSession, saveSession } from "./storage";
import type { ChatMessage, ConversationStatus, EmbedConfig, Frame, WidgetConfig } from "./types";
import css from "./widget.css?inline";

const STATUS_LABELS: Record<ConversationStatus, string> = {
  ai: "",
  human: "You are chatting with a member of our team.",
  awaiting_approval: "Waiting for a team member to approve the next step…",
  closed: "This conversation is closed.",
};

const ICON =
  '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"/></svg>';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function storageOrUndefined(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

export class ChatWidget {
  private state: ChatState = initialState;
  private sessionId: string | null = null;
  private conversationId: string | null = null;
  private socket: WebSocket | null = null;
  /** The local id of the message a socket started this conversation with, until it is stored. */
  private opening: string | null = null;
  private attempt = 0;
  private retryTimer: number | undefined;
  private localSeq = 0;
  private sending = false;
  private rated = false;
  private destroyed = false;
  private readonly rendered = new Map<string, HTMLElement>();
  private readonly storage = storageOrUndefined();

  private readonly host: HTMLElement;
  private readonly launcher: HTMLButtonElement;
  private readonly panel: HTMLElement;
  private readonly statusLine: HTMLElement;
  private readonly log: HTMLElement;
  private readonly greeting: HTMLElement;
  private readonly typing: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly feedback: HTMLFormElement;
  private readonly form: HTMLFormElement;
  private readonly input: HTMLTextAreaElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly restart: HTMLButtonElement;

  constructor(
    private readonly api: WidgetApi,
    private readonly embed: EmbedConfig,
    private readonly config: WidgetConfig,
  ) {
    this.host = el("div", { id: "switchboard-widget" });
    const shadow = this.host.attachShadow({ mode: "open" });
    const style = el("style");
    style.textContent = css;
    const color = safeColor(config.primaryColor);
    const root = el("div", { class: embed.position === "left" ? "root left" : "root" });
    root.style.setProperty("--sb-primary", color);
    root.style.setProperty("--sb-on-primary", textOn(color));

    const title = config.agentName || config.brandingName || "Chat";
    const panelId = "sb-panel";
    this.launcher = el("button", {
      type: "button",
      class: "launcher",
      "aria-label": `Open chat with ${config.brandingName || title}`,
      "aria-expanded": "false",
      "aria-controls": panelId,
    });
    this.launcher.innerHTML = ICON;

    this.panel = el("section", { id: panelId, class: "panel", role: "dialog", "aria-label": `${config.brandingName || title} chat` });
    this.panel.hidden = true;
    const header = el("div", { class: "header" });
    if (config.brandingLogo && /^https:\/\//.test(config.brandingLogo)) {
      header.append(el("img", { src: config.brandingLogo, alt: "" }));
    }
    const titles = el("div", { class: "titles" });
    titles.append(el("p", { class: "title" }, title));
    if (config.brandingName && config.brandingName !== title) titles.append(el("p", { class: "subtitle" }, config.brandingName));
    const close = el("button", { type: "button", class: "close", "aria-label": "Close chat" }, "×");
    header.append(titles, close);

    this.statusLine = el("div", { class: "status", role: "status" });
    this.log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-label": "Messages", tabindex: "0" });
    this.greeting = this.bubble("ai", config.greetingMessage || "Hi! How can we help?", config.agentName || "Assistant");
    this.typing = el("div", { class: "typing", "aria-live": "polite" });
    this.notice = el("div", { class: "notice", role: "alert" });

    this.feedback = el("form", { class: "feedback" });
    this.feedback.hidden = true;
    this.buildFeedback();

    this.form = el("form", { class: "form" });
    this.input = el("textarea", { rows: "1", "aria-label": "Message", placeholder: "Type your message…", maxlength: "4000" });
    this.sendButton = el("button", { type: "submit", class: "btn" }, "Send");
    this.form.append(this.input, this.sendButton);
    this.restart = el("button", { type: "button", class: "btn secondary" }, "Start a new conversation");
    this.restart.hidden = true;
    const restartRow = el("div", { class: "form" });
    restartRow.append(this.restart);

    this.panel.append(header, this.statusLine, this.log, this.typing, this.notice, this.feedback, this.form, restartRow);
    root.append(this.panel, this.launcher);
    shadow.append(style, root);

    this.launcher.addEventListener("click", () => (this.panel.hidden ? this.open() : this.close()));
    close.addEventListener("click", () => this.close());
    this.panel.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.stopPropagation();
        this.close();
      }
    });
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.send();
    });
    this.input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        void this.send();
      }
    });
    this.restart.addEventListener("click", () => this.startOver());
  }

  /** Mounts the bubble and continues a stored conversation. */
  async mount(): Promise<void> {
    document.body.append(this.host);
    this.render();
    const stored = loadSession(this.storage, this.embed.companyId);
    if (!stored) return;
    this.sessionId = stored.sessionId;
    this.conversationId = stored.conversationId ?? null;
    try {
      const history = await this.api.history(stored.sessionId);
      this.setState(mergeHistory(this.state, history));
      this.conversationId ??= history.find((m) => m.conversationId)?.conversationId ?? null;
      this.connect();
    } catch (e) {
      // A session the server no longer knows (or that belongs to another signed-in customer): start afresh.
      if (e instanceof WidgetApiError && (e.status === 404 || e.status === 400)) {
        clearSession(this.storage, this.embed.companyId);
        this.sessionId = null;
        this.conversationId = null;
      } else {
        this.connect();
      }
    }
  }

  destroy(): void {
    this.destroyed = true;
    window.clearTimeout(this.retryTimer);
    this.socket?.close();
    this.host.remove();
  }

  open(): void {
    this.panel.hidden = false;
    this.launcher.setAttribute("aria-expanded", "true");
    this.launcher.setAttribute("aria-label", "Close chat");
    (this.input.disabled ? this.log : this.input).focus();
    this.scrollDown();
  }

  close(): void {
    this.panel.hidden = true;
    this.launcher.setAttribute("aria-expanded", "false");
    this.launcher.setAttribute("aria-label", `Open chat with ${this.config.brandingName || this.config.agentName || "us"}`);
    this.launcher.focus();
  }

  private async send(): Promise<void> {
    const content = this.input.value.trim();
    if (!content || this.sending || this.state.status === "closed") return;
    this.sending = true;
    const localId = `local-${++this.localSeq}`;
    this.input.value = "";
    this.setState(addLocal(this.state, localId, content, new Date().toISOString()));
    try {
      // A new conversation starts over the socket, so its first reply streams; the POST is the fallback.
      if (!this.sessionId && typeof WebSocket === "function" && (await this.start(content, localId))) return;
      const userId = this.embed.user?.id;
      const res = await this.api.send(this.embed.companyId, content, this.sessionId, userId === undefined || userId === null ? undefined : String(userId));
      this.accept(res, localId);
    } catch (e) {
      this.setState(dropLocal(this.state, localId));
      this.input.value = content;
      if (e instanceof WidgetApiError && e.status === 409) {
        this.setState(applyFrame(this.state, { type: "status", status: "closed" }));
      } else if (e instanceof WidgetApiError && e.status === 404 && this.sessionId) {
        // The stored conversation is gone; the next message starts a new one.
        this.forgetSession();
        this.showNotice("That conversation has ended. Send your message again to start a new one.");
      } else {
        this.showNotice(e instanceof WidgetApiError ? e.message : "The message could not be sent. Check your connection and try again.");
      }
    } finally {
      this.sending = false;
      this.render();
    }
  }

  private accept(res: ChatResponse, localId: string): void {
    const first = this.sessionId === null;
    this.sessionId = res.sessionId;
    this.conversationId = res.conversationId;
    let s = this.state;
    if (res.greeting) s = insertFirst(s, res.greeting);
    s = upsertMessage(s, res.message, localId);
    if (res.reply) {
      const reply: ChatMessage = {
        id: res.reply.messageId,
        conversationId: res.conversationId,
        sender: "ai",
        content: res.reply.content,
        citations: res.reply.citations ?? [],
        createdAt: new Date().toISOString(),
      };
      const existing = s.messages.find((m) => m.id === reply.id);
      // The socket's own `message` frame carries the stored time; keep it when it came first.
      if (!existing || existing.streaming) s = upsertMessage(s, reply);
    }
    if (res.status !== s.status) s = applyFrame(s, { type: "status", status: res.status });
    this.setState(s);
    if (first) this.connect();
  }

  /**
   * Sends the first message of a new conversation over a socket that starts it, so its reply
   * streams; the socket then stays as the conversation's. False when the socket did not open
   * (nothing was sent); throws when the message was refused, or may have been sent and the
   * socket was lost before the conversation was named.
   */
  private start(content: string, localId: string): Promise<boolean> {
    return new Promise((resolve, reject) => {
      let socket: WebSocket;
      try {
        socket = new WebSocket(this.api.socketUrl({ companyId: this.embed.companyId }));
      } catch {
        resolve(false);
        return;
      }
      let sent = false;
      this.socket = socket;
      const fail = (error: Error | false) => {
        socket.onerror = socket.onclose = socket.onmessage = null;
        if (this.socket === socket) this.socket = null;
        socket.close();
        if (error) reject(error);
        else resolve(false);
      };
      socket.onopen = () => {
        sent = true;
        socket.send(JSON.stringify({ type: "message", content }));
      };
      socket.onerror = socket.onclose = () => fail(sent && new Error("lost"));
      socket.onmessage = (event) => {
        const frame = parseFrame(event.data);
        if (frame?.type === "error") {
          fail(new WidgetApiError(0, frame.code, frame.message));
        } else if (frame?.type === "session") {
          // From here on it is the conversation's socket, reconnecting with the sessionId.
          this.sessionId = frame.sessionId;
          this.conversationId = frame.conversationId;
          this.opening = localId;
          socket.onerror = null;
          this.watch(socket);
          this.attempt = 0;
          this.setState(this.state);
          resolve(true);
        }
      };
    });
  }

  private forgetSession(): void {
    clearSession(this.storage, this.embed.companyId);
    this.sessionId = null;
    this.conversationId = null;
    this.opening = null;
    this.disconnect();
  }

  private startOver(): void {
    this.forgetSession();
    this.rated = false;
    this.rendered.forEach((node) => node.remove());
    this.rendered.clear();
    this.setState(initialState);
    this.input.focus();
  }

  // --- socket -------------------------------------------------------------------------

  private connect(): void {
    if (this.destroyed || !this.sessionId || this.socket) return;
    window.clearTimeout(this.retryTimer);
    try {
      this.watch(new WebSocket(this.api.socketUrl({ sessionId: this.sessionId, after: lastStoredId(this.state) })));
    } catch {
      this.scheduleReconnect();
    }
  }

  /** Makes `socket` the conversation's live socket. */
  private watch(socket: WebSocket): void {
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
    };
    socket.onmessage = (event) => {
      const frame = parseFrame(event.data);
      if (frame) this.apply(frame);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.scheduleReconnect();
    };
  }

  private apply(frame: Frame): void {
    if (frame.type === "resync") {
      void this.catchUp();
      return;
    }
    if (frame.type === "message" && frame.conversationId) this.conversationId ??= frame.conversationId;
    this.setState(this.opening ? applyOpeningFrame(this.state, frame, this.opening) : applyFrame(this.state, frame));
    if (frame.type === "status" && frame.status === "closed") this.disconnect();
  }

  private disconnect(): void {
    const socket = this.socket;
    this.socket = null;
    window.clearTimeout(this.retryTimer);
    socket?.close();
  }

  private scheduleReconnect(): void {
    if (this.destroyed || !this.sessionId || this.state.status === "closed") return;
    const delay = backoffDelay(this.attempt++);
    this.retryTimer = window.setTimeout(() => this.connect(), delay);
  }

  private async catchUp(): Promise<void> {
    if (!this.sessionId) return;
    try {
      const after = lastStoredId(this.state) ?? undefined;
      this.setState(mergeHistory(this.state, await this.api.history(this.sessionId, after)));
    } catch {
      // The next reconnect replays from the last id anyway.
    }
  }

  // --- feedback -----------------------------------------------------------------------

  private buildFeedback(): void {
    const fieldset = el("fieldset");
    fieldset.append(el("legend", {}, "How did we do?"));
    const stars = el("div", { class: "stars" });
    for (let n = 1; n <= 5; n++) {
      const label = el("label");
      const input = el("input", { type: "radio", name: "rating", value: String(n), "aria-label": `${n} out of 5` });
      label.append(input, el("span", { "aria-hidden": "true" }, String(n)));
      stars.append(label);
    }
    fieldset.append(stars);
    const comment = el("textarea", { name: "comment", "aria-label": "Comment (optional)", placeholder: "Anything to add? (optional)", maxlength: "2000" });
    const submit = el("button", { type: "submit", class: "btn" }, "Send rating");
    this.feedback.append(fieldset, comment, submit);
    this.feedback.addEventListener("submit", (e) => {
      e.preventDefault();
      const data = new FormData(this.feedback);
      const rating = Number(data.get("rating"));
      if (!(rating >= 1 && rating <= 5)) {
        this.showNotice("Choose a rating from 1 to 5.");
        return;
      }
      void this.rate(rating, String(data.get("comment") ?? "").trim(), submit);
    });
  }

  private async rate(rating: number, comment: string, submit: HTMLButtonElement): Promise<void> {
    if (!this.sessionId || !this.conversationId) return;
    submit.disabled = true;
    try {
      await this.api.feedback({
        companyId: this.embed.companyId,
        conversationId: this.conversationId,
        sessionId: this.sessionId,
        rating,
        ...(comment ? { comment } : {}),
      });
      this.thanks();
    } catch (e) {
      if (e instanceof WidgetApiError && e.status === 409) this.thanks();
      else this.showNotice("Your rating could not be sent. Please try again.");
    } finally {
      submit.disabled = false;
    }
  }

  private thanks(): void {
    this.rated = true;
    this.render();
    this.showNotice("");
    this.statusLine.textContent = "Thank you for your feedback!";
    this.restart.focus();
  }

  // --- rendering ----------------------------------------------------------------------

  private setState(next: ChatState): void {
    this.state = next;
    if (this.sessionId) {
      saveSession(this.storage, this.embed.companyId, {
        sessionId: this.sessionId,
        conversationId: this.conversationId ?? undefined,
        lastMessageId: lastStoredId(next) ?? undefined,
      });
    }
    this.render();
  }

  private showNotice(text: string): void {
    this.notice.textContent = text;
  }

  private bubble(sender: string, content: string, who: string): HTMLElement {
    const node = el("div", { class: `msg ${sender}` });
    node.append(el("span", { class: "who" }, who), el("span", { class: "text" }, content));
    return node;
  }

  private senderName(sender: string): string {
    if (sender === "customer") return "You";
    if (sender === "agent") return "Support agent";
    if (sender === "system") return "";
    return this.config.agentName || "Assistant";
  }

  private render(): void {
    const s = this.state;
    if (s.error) this.showNotice(s.error);
    const greetingStored = s.messages.some((m) => m.sender !== "customer" && m.content === this.config.greetingMessage);
    if (!greetingStored && !this.greeting.isConnected) this.log.prepend(this.greeting);
    if (greetingStored) this.greeting.remove();

    const keep = new Set<string>();
    let previous: Element | null = greetingStored ? null : this.greeting;
    for (const m of s.messages) {
      const key = m.key ?? m.id;
      keep.add(key);
      let node = this.rendered.get(key);
      if (!node) {
        node = this.bubble(m.sender, "", this.senderName(m.sender));
        node.append(el("div", { class: "chips" }));
        this.rendered.set(key, node);
      }
      node.className = `msg ${m.sender}${m.local ? " local" : ""}`;
      const text = node.querySelector(".text") as HTMLElement;
      const shown = m.sender === "ai" ? displayText(m.content) : m.content;
      if (text.textContent !== shown) text.textContent = shown;
      const chips = node.querySelector(".chips") as HTMLElement;
      const items = citationChips(m.content, m.citations);
      const current = [...chips.children].map((c) => c.textContent).join("\n");
      if (current !== items.map((c) => c.text).join("\n")) {
        chips.replaceChildren(...items.map((c) => el("span", { class: "chip", role: "listitem", title: c.title, ...(c.label ? { "aria-label": c.label } : {}) }, c.text)));
        if (items.length) {
          chips.setAttribute("role", "list");
          chips.setAttribute("aria-label", "Sources");
        } else {
          chips.removeAttribute("role");
          chips.removeAttribute("aria-label");
        }
      }
      const expected: Element | null = previous ? previous.nextElementSibling : this.log.firstElementChild;
      if (expected !== node) {
        if (previous) previous.after(node);
        else this.log.prepend(node);
      }
      previous = node;
    }
    for (const [key, node] of this.rendered) {
      if (!keep.has(key)) {
        node.remove();
        this.rendered.delete(key);
      }
    }
    this.log.setAttribute("aria-busy", String(s.messages.some((m) => m.streaming)));

    const who = s.typing === "agent" ? "A support agent" : s.typing ? this.config.agentName || "The assistant" : "";
    this.typing.textContent = who ? `${who} is typing…` : "";
    if (!this.rated) this.statusLine.textContent = STATUS_LABELS[s.status] ?? "";

    const closed = s.status === "closed";
    this.form.hidden = closed;
    this.input.disabled = closed;
    this.sendButton.disabled = this.sending;
    this.restart.hidden = !closed;
    (this.restart.parentElement as HTMLElement).hidden = !closed;
    const askRating = closed && s.feedbackRequested && !this.rated && Boolean(this.conversationId);
    const wasHidden = this.feedback.hidden;
    this.feedback.hidden = !askRating;
    if (askRating && wasHidden && !this.panel.hidden) {
      (this.feedback.querySelector("input") as HTMLInputElement | null)?.focus();
    }
    this.scrollDown();
  }

  private scrollDown(): void {
    this.log.scrollTop = this.log.scrollHeight;
  }
}
