import { writeFileAtomic } from "../atomic_write/mod.ts";
import { join } from "node:path";
import type { Narration, TimedSpan } from "./_types.ts";

/** Bump when the stored timings' meaning changes, so old entries are not reused. */
const CACHE_VERSION = 1;

/** What identifies one narration. */
export interface CacheKeyParts {
  engine: string;
  voice: string;
  rate: number;
  sentences: string[];
}

/** Where one narration lives in the cache. */
export interface CacheEntry {
  key: string;
  audioPath: string;
  metaPath: string;
}

/** sha256 of the inputs → `cacheDir/<hh>/<hash>.<ext>` and its `.json` sidecar. */
export async function cacheEntry(
  cacheDir: string,
  parts: CacheKeyParts,
  options: { ext: string },
): Promise<CacheEntry> {
  const material = JSON.stringify([
    CACHE_VERSION,
    parts.engine,
    parts.voice,
    parts.rate,
    parts.sentences,
  ]);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(material));
  const key = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  const base = join(cacheDir, key.slice(0, 2), key);
  return { key, audioPath: `${base}.${options.ext}`, metaPath: `${base}.json` };
}

interface StoredTimings {
  version: number;
  duration: number;
  /** Absent in entries written before it was stored: then measured once and stored. */
  heard?: number;
  sentences: TimedSpan[];
  words: TimedSpan[];
}

/**
 * The cached narration, or undefined when absent or unreadable (then it is made again). An entry
 * without its decoded duration gets it from `measureHeard` (stored for the next read).
 */
export async function readCached(
  entry: CacheEntry,
  measureHeard: (audioPath: string, duration: number) => Promise<number>,
): Promise<Narration | undefined> {
  try {
    const stored = JSON.parse(await Deno.readTextFile(entry.metaPath)) as StoredTimings;
    if (stored.version !== CACHE_VERSION || !Array.isArray(stored.sentences)) return undefined;
    const info = await Deno.stat(entry.audioPath);
    if (!info.isFile || info.size === 0) return undefined;
    const narration: Narration = {
      audioPath: entry.audioPath,
      duration: stored.duration,
      heard: stored.heard ?? NaN,
      sentences: stored.sentences,
      words: stored.words ?? [],
    };
    if (stored.heard === undefined) {
      narration.heard = await measureHeard(entry.audioPath, stored.duration);
      await writeCached(entry, narration);
    }
    return narration;
  } catch {
    return undefined;
  }
}

/** Store the timings sidecar (the audio must already be in place: the sidecar marks completion). */
export async function writeCached(entry: CacheEntry, narration: Narration): Promise<void> {
  const stored: StoredTimings = {
    version: CACHE_VERSION,
    duration: narration.duration,
    heard: narration.heard,
    sentences: narration.sentences,
    words: narration.words,
  };
  await writeFileAtomic(entry.metaPath, new TextEncoder().encode(JSON.stringify(stored)));
}
