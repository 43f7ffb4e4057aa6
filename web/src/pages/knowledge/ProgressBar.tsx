import { formatBytes, type UploadProgress } from "@/lib/upload";

/** An upload's progress; once every byte is sent it says the server is still reading the file. */
export function ProgressBar({ label, progress }: { label: string; progress: UploadProgress }) {
  const percent = progress.fraction === null ? null : Math.round(progress.fraction * 100);
  const sent = percent === 100;
  const text = sent
    ? "Sent; the server is reading the file…"
    : progress.total
      ? `${formatBytes(progress.loaded)} of ${formatBytes(progress.total)}`
      : `${formatBytes(progress.loaded)} sent`;
  return (
    <div className="grid gap-1.5">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
        aria-valuetext={percent === null ? text : `${percent}%`}
        className="h-2 w-full overflow-hidden rounded-full bg-muted"
      >
        <div
          className={percent === null ? "h-full w-1/3 animate-pulse rounded-full bg-primary" : "h-full rounded-full bg-primary transition-[width] duration-200"}
          style={percent === null ? undefined : { width: `${percent}%` }}
        />
      </div>
      <p className="flex justify-between gap-2 text-xs text-muted-foreground">
        <span>{text}</span>
        {percent !== null && <span className="tabular-nums">{percent}%</span>}
      </p>
    </div>
  );
}
