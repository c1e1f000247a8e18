/**
 * Atomic file writes: a temp name in the same folder, then a rename, so a reader (or a run that
 * resumes after a kill) never sees a half-written file.
 *
 * @module
 */
export { AtomicTextWriter, writeFileAtomic } from "./atomic_write.ts";
