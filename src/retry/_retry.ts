/** A failure worth another try (connection error, 429, 5xx, a corrupted transfer). */
export class RetryableError extends Error {
  /** Server-requested wait (`Retry-After`), in milliseconds, if any. */
  retryAfterMs: number | null;
  constructor(message: string, options: { retryAfterMs?: number | null; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "RetryableError";
    this.retryAfterMs = options.retryAfterMs ?? null;
  }
}

/** How to retry. */
export interface RetryOptions {
  /** Retries after the first attempt. Default 5. */
  maxRetries?: number;
  /** First backoff delay in ms, doubled per retry (with jitter). Default 1000. */
  baseDelayMs?: number;
  /** Upper bound of one backoff delay (not of `Retry-After`). Default 30 s. */
  maxDelayMs?: number;
  /** Told before each wait. */
  onRetry?: (info: { attempt: number; delayMs: number; error: Error }) => void;
  /** Which errors earn another try. Default: {@linkcode RetryableError}s only. */
  isRetryable?: (error: unknown) => boolean;
  /** Stop at once (with its reason): before an attempt, after a failed one, and while waiting. */
  signal?: AbortSignal;
}

/** Default backoff base delay: `VIDEOWORD_RETRY_BASE_MS` if set, else 1000 ms. */
export function defaultRetryBaseMs(): number {
  const raw = Deno.env.get("VIDEOWORD_RETRY_BASE_MS");
  const value = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : 1000;
}

/** Milliseconds from a `Retry-After` header (seconds or an HTTP date), or null. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Exponential backoff with equal jitter: half of `base * 2^attempt` fixed, half random. */
export function backoffDelay(attempt: number, options: RetryOptions = {}): number {
  const base = options.baseDelayMs ?? 1000;
  const cap = options.maxDelayMs ?? 30_000;
  const full = Math.min(cap, base * 2 ** attempt);
  return full / 2 + Math.random() * (full / 2);
}

/** Honour `Retry-After` up to this long; beyond it the server is told no by failing. */
const MAX_RETRY_AFTER_MS = 10 * 60_000;

/**
 * Run `attempt` until it succeeds, retrying {@linkcode RetryableError}s with backoff; any other
 * error fails at once. At most `maxRetries + 1` attempts are made, whatever happens: `attempt`
 * may call `progressed()` after making headway (e.g. bytes received before a dropped
 * connection), which resets the backoff delay to its base but never the attempt count, so a
 * server that always sends a little and then fails cannot keep the loop alive.
 */
export async function withRetry<T>(
  attempt: (info: { retry: number; progressed: () => void }) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const maxRetries = options.maxRetries ?? 5;
  const isRetryable = options.isRetryable ?? ((error) => error instanceof RetryableError);
  const { signal } = options;
  let retry = 0;
  let backoffStep = 0;
  while (true) {
    let madeProgress = false;
    signal?.throwIfAborted();
    try {
      return await attempt({ retry, progressed: () => madeProgress = true });
    } catch (caught) {
      signal?.throwIfAborted();
      if (!isRetryable(caught)) throw caught;
      const error = caught instanceof Error ? caught : new Error(String(caught));
      if (madeProgress) backoffStep = 0;
      if (retry >= maxRetries) {
        throw new Error(`${error.message} (gave up after ${retry + 1} attempts)`, { cause: error });
      }
      let delayMs = backoffDelay(backoffStep, options);
      const retryAfterMs = error instanceof RetryableError ? error.retryAfterMs : null;
      if (retryAfterMs !== null) {
        if (retryAfterMs > MAX_RETRY_AFTER_MS) {
          throw new Error(`${error.message} (server asks to wait too long)`, { cause: error });
        }
        delayMs = retryAfterMs;
      }
      options.onRetry?.({ attempt: retry + 1, delayMs, error });
      await sleep(delayMs, signal);
      retry++;
      backoffStep++;
    }
  }
}

/** Wait `ms`, or reject with the signal's reason as soon as it aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error("aborted"));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
