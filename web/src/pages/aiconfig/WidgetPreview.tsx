// A static mock of the chat widget as customers will see it with the settings being edited:
// the open panel and the launcher bubble. Not the real widget bundle (that one talks to the
// API and mounts on the page); it follows src/widget/widget.ts's choices of title, subtitle,
// logo, greeting fallback and text colour so the two do not drift apart.
import { useState, type CSSProperties } from "react";
import { safeColor, textOn } from "@/widget/colors";
import "./preview.css";

export interface PreviewProps {
  agentName: string;
  brandingName: string;
  brandingLogo: string;
  color: string;
  greeting: string;
}

const ICON_PATH = "M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z";

export function WidgetPreview({ agentName, brandingName, brandingLogo, color, greeting }: PreviewProps) {
  // The widget shows only https logos; remember which one failed to load so a typo in the
  // URL shows as a missing logo, as it would on the site.
  const [failedLogo, setFailedLogo] = useState<string | null>(null);
  const name = agentName.trim();
  const brand = brandingName.trim();
  const logo = brandingLogo.trim();
  const title = name || brand || "Chat";
  const primary = safeColor(color.trim());
  const style = { "--sb-primary": primary, "--sb-on-primary": textOn(primary) } as CSSProperties;
  const showLogo = /^https:\/\//.test(logo) && failedLogo !== logo;

  return (
    <div className="sbp" style={style} data-testid="widget-preview">
      <div className="sbp-panel">
        <div className="sbp-header">
          {showLogo && <img src={logo} alt="" onError={() => setFailedLogo(logo)} />}
          <div className="sbp-titles">
            <p className="sbp-title" data-testid="preview-title">{title}</p>
            {brand && brand !== title && <p className="sbp-subtitle" data-testid="preview-subtitle">{brand}</p>}
          </div>
          <span className="sbp-close">×</span>
        </div>
        <div className="sbp-log">
          <div className="sbp-msg ai">
            <span className="sbp-who">{name || "Assistant"}</span>
            <span data-testid="preview-greeting">{greeting.trim() || "Hi! How can we help?"}</span>
          </div>
          <div className="sbp-msg customer">Hi, where is my order?</div>
        </div>
        <div className="sbp-form">
          <span className="sbp-input">Type your message…</span>
          <span className="sbp-btn">Send</span>
        </div>
      </div>
      <div className="sbp-launcher">
        <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
          <path d={ICON_PATH} />
        </svg>
      </div>
    </div>
  );
}
