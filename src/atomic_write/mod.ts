/**
 * Atomic file writes: a temp name in the same folder, then a rename, so a reader (or a run that
 * resumes after a kill) never sees a half-written file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AtomicTextWriter, writeFileAtomic } from "./mod.ts";
 *
 * const dir = await Deno.makeTempDir();
 * await writeFileAtomic(`${dir}/stats.json`, JSON.stringify({ rendered: 3 }) + "\n");
 * const manifest = new AtomicTextWriter(`${dir}/manifest.jsonl`);
 * await manifest.open();
 * await manifest.write('{"index":0}\n');
 * await assert.rejects(Deno.stat(`${dir}/manifest.jsonl`)); // nothing under the final name yet
 * await manifest.commit(); // or abort(): the final name never holds half a file
 * assert.equal(await Deno.readTextFile(`${dir}/manifest.jsonl`), '{"index":0}\n');
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @module
 */
export { AtomicTextWriter, writeFileAtomic } from "./_atomic_write.ts";
