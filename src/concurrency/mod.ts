/**
 * Bounded parallelism for I/O-bound work (downloads, ffprobe, espeak runs): `mapLimit` for a
 * list, `Semaphore` for calls from anywhere in the process (Edge TTS requests).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mapLimit } from "./mod.ts";
 *
 * let running = 0;
 * let most = 0;
 * const sizes = await mapLimit(["a", "bb", "ccc", "dddd"], 2, async (name) => {
 *   most = Math.max(most, ++running);
 *   await new Promise((done) => setTimeout(done, 5 - name.length)); // finishing out of order
 *   running--;
 *   return name.length;
 * });
 * assert.deepEqual(sizes, [1, 2, 3, 4]); // in input order
 * assert.equal(most, 2); // at most two calls at once
 * ```
 *
 * @module
 */
export { Semaphore } from "./_semaphore.ts";

/**
 * `Promise.all(items.map(fn))` with at most `limit` calls in flight, results in input order.
 * After the first rejection no new item is started, and that rejection is the result.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  async function worker(): Promise<void> {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index], index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  }
  const workers = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  const settled = await Promise.allSettled(Array.from({ length: workers }, worker));
  const rejection = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (rejection) throw rejection.reason;
  return results;
}
