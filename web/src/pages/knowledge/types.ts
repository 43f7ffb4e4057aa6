// Shapes of the knowledge-base routes that lib/types.ts does not hold (see
// crates/server/src/routes/ai/search.rs and documents.rs).
export type { DocumentView } from "@/lib/types";

export const DOCUMENTS_KEY = ["knowledge-base"] as const;

/** One passage of POST /api/ai/knowledge-base/search, and why it was found. */
export interface SearchHit {
  documentId: string;
  title: string;
  /** The passage the responder would read and cite. */
  text: string;
  /** The sentence or short passage inside it that matched. */
  matchedText: string;
  chunkId: string;
  /** 0–1 after fusion; compared with the threshold. */
  score: number;
  /** Reciprocal-rank fusion of both paths, 0–1. */
  fused: number;
  /** 1-based rank on the keyword (BM25) path; absent when that path did not recall it. */
  lexicalRank?: number | null;
  /** 1-based rank on the embedding path; absent when that path did not recall it. */
  vectorRank?: number | null;
  cosine?: number | null;
  bm25?: number | null;
}

export interface SearchRequest {
  query: string;
  topK: number;
  threshold?: number;
}

export type DocumentFormat = "text" | "markdown" | "html" | "pdf";
