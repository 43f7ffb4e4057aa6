// When to try the socket again: exponential, capped, with jitter so that many widgets do not
// all come back at the same moment after a server restart.

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const defaultBackoff: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

/**
 * The delay before reconnect attempt `attempt` (0 for the first retry): the capped
 * exponential `min(max, base·2^attempt)`, of which the upper half is randomised.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random, options: BackoffOptions = defaultBackoff): number {
  const n = Math.max(0, Math.floor(attempt));
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(n, 30));
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(ceiling / 2 + (ceiling / 2) * r);
}
