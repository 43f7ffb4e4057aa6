import { Badge } from "@/components/ui/badge";
import type { SearchHit } from "./types";

export type FoundBy = "both" | "keyword" | "vector" | "unknown";

/** Which retrieval path recalled a passage: keyword (BM25), vector (embeddings), or both. */
export function foundBy(hit: SearchHit): FoundBy {
  const lexical = hit.lexicalRank != null;
  const vector = hit.vectorRank != null;
  if (lexical && vector) return "both";
  if (lexical) return "keyword";
  if (vector) return "vector";
  return "unknown";
}

const PATH_TEXT: Record<FoundBy, string> = {
  both: "keyword + vector",
  keyword: "keyword only",
  vector: "vector only",
  unknown: "path not reported",
};

function num(v: number | null | undefined, digits = 2): string | null {
  return typeof v === "number" && Number.isFinite(v) ? v.toFixed(digits) : null;
}

/** The passage with the part that matched marked, when it can be found in it. */
function Passage({ text, matched }: { text: string; matched: string }) {
  const at = matched ? text.indexOf(matched) : -1;
  if (at < 0) return <>{text}</>;
  return (
    <>
      {text.slice(0, at)}
      <mark className="rounded-sm bg-warning/30 px-0.5 text-foreground">{matched}</mark>
      {text.slice(at + matched.length)}
    </>
  );
}

export function SearchResults({ hits, threshold }: { hits: SearchHit[]; threshold: number | null }) {
  return (
    <ol aria-label="Search results" className="grid gap-3">
      {hits.map((hit, i) => {
        const path = foundBy(hit);
        const below = threshold !== null && hit.score < threshold;
        const details = [
          hit.lexicalRank != null ? `keyword rank ${hit.lexicalRank}` : null,
          hit.vectorRank != null ? `vector rank ${hit.vectorRank}` : null,
          num(hit.cosine) && `cosine ${num(hit.cosine)}`,
          num(hit.bm25) && `BM25 ${num(hit.bm25)}`,
          num(hit.fused, 3) && `fused ${num(hit.fused, 3)}`,
        ].filter(Boolean);
        return (
          <li key={hit.chunkId ?? i} className={`grid gap-2 rounded-lg border p-3 ${below ? "opacity-70" : ""}`}>
            <div className="flex flex-wrap items-center gap-2">
              <span className="text-sm font-semibold tabular-nums text-muted-foreground">#{i + 1}</span>
              <span className="min-w-0 flex-1 break-words text-sm font-medium">{hit.title}</span>
              <Badge variant={below ? "secondary" : "success"} title="Relevance after fusion (0–1)">
                score {num(hit.score) ?? "—"}
              </Badge>
              <Badge variant="outline" data-found-by={path}>
                {PATH_TEXT[path]}
              </Badge>
              {below && <Badge variant="warning">below threshold</Badge>}
            </div>
            <p className="whitespace-pre-line break-words text-sm text-muted-foreground">
              <Passage text={hit.text} matched={hit.matchedText} />
            </p>
            {details.length > 0 && <p className="text-xs text-muted-foreground">{details.join(" · ")}</p>}
          </li>
        );
      })}
    </ol>
  );
}
