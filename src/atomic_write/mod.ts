/**
 * Atomic file writes: a temp name in the same folder, then a rename, so a reader (or a run that
 * resumes after a kill) never sees a half-written file.
 *
 * @example
 * ```ts
 * import { AtomicTextWriter, writeFileAtomic } from "./mod.ts";
 *
 * await writeFileAtomic("/tmp/stats.json", JSON.stringify({ rendered: 3 }) + "\n");
 * const manifest = new AtomicTextWriter("/tmp/manifest.jsonl");
 * await manifest.open();
 * await manifest.write('{"index":0}\n');
 * await manifest.commit(); // or abort(): the final name never holds half a file
 * ```
 *
 * @module
 */
export { AtomicTextWriter, writeFileAtomic } from "./_atomic_write.ts";
