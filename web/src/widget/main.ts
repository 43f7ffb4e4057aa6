// Entry of dist/widget.js. Embedded with
//   <script>window.customerAIConfig = { companyId: "…", user: { id, name, email, hash, timestamp } };</script>
//   <script src="https://switchboard.example.com/widget.js" async></script>
// The script's own origin is the API's.

import { WidgetApi, WidgetApiError } from "./api";
import type { EmbedConfig } from "./types";
import { ChatWidget } from "./widget";

declare global {
  interface Window {
    customerAIConfig?: EmbedConfig;
    __switchboardWidget?: ChatWidget;
  }
}

const PREFIX = "Switchboard widget:";

/** The API origin: where this script came from. */
export function scriptOrigin(script: HTMLOrSVGScriptElement | null, fallback: string): string {
  const src = script && "src" in script ? script.src : "";
  const found = src || [...document.querySelectorAll("script[src]")].map((s) => (s as HTMLScriptElement).src).find((s) => /\/widget\.js(\?|#|$)/.test(s));
  try {
    return new URL(found || fallback).origin;
  } catch {
    return new URL(fallback).origin;
  }
}

async function start(origin: string): Promise<void> {
  const embed = window.customerAIConfig;
  if (!embed || typeof embed.companyId !== "string" || !embed.companyId) {
    console.error(`${PREFIX} window.customerAIConfig.companyId is missing; set it before loading widget.js.`);
    return;
  }
  if (window.__switchboardWidget) return;
  const api = new WidgetApi(origin);
  let config;
  try {
    config = await api.config(embed.companyId);
  } catch (e) {
    if (e instanceof WidgetApiError && e.status === 403) {
      console.error(`${PREFIX} this site (${location.origin}) is not in the allowed origins of company ${embed.companyId}; add it in Settings → Allowed origins. The widget is not shown.`);
    } else if (e instanceof WidgetApiError && e.status === 404) {
      console.error(`${PREFIX} no active company ${embed.companyId}; check customerAIConfig.companyId. The widget is not shown.`);
    } else {
      console.error(`${PREFIX} could not load the widget configuration from ${origin}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return;
  }
  try {
    await api.authenticate(embed.companyId, embed.user);
  } catch (e) {
    console.error(`${PREFIX} the signed user could not be verified (${e instanceof Error ? e.message : String(e)}); chatting anonymously where the company allows it.`);
  }
  const widget = new ChatWidget(api, embed, config);
  window.__switchboardWidget = widget;
  await widget.mount();
}

const origin = scriptOrigin(document.currentScript, location.href);
const run = () => void start(origin);
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run, { once: true });
else run();
