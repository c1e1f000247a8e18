/**
 * Retries with exponential backoff and jitter, shared by the Hub client, file downloads and
 * Edge TTS: a bounded number of attempts, `Retry-After` honoured, progress resetting the delay
 * but never the count, and an AbortSignal that ends the waiting.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RetryableError, withRetry } from "./mod.ts";
 *
 * let calls = 0;
 * const value = await withRetry(() => {
 *   if (++calls < 3) throw new RetryableError("busy"); // any other error is thrown at once
 *   return Promise.resolve("ok");
 * }, { baseDelayMs: 1 });
 * assert.deepEqual([value, calls], ["ok", 3]);
 * ```
 *
 * @module
 */
export {
  backoffDelay,
  defaultRetryBaseMs,
  parseRetryAfter,
  RetryableError,
  type RetryOptions,
  withRetry,
} from "./_retry.ts";
