/**
 * Streaming row readers: Parquet, JSON Lines, JSON arrays and `.tar.gz` archives of JSON Lines,
 * read as one continuous row sequence without holding a whole file in memory.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { join } from "node:path";
 * import { readRows } from "./mod.ts";
 *
 * // Parquet, JSON Lines, JSON arrays and .tar.gz of JSON Lines, as one row sequence.
 * const dir = await Deno.makeTempDir();
 * const [lines, array] = [join(dir, "part_1.jsonl"), join(dir, "part_2.json")];
 * await Deno.writeTextFile(lines, '{"q":"2 + 2?"}\n{"q": broken\n');
 * await Deno.writeTextFile(array, '[{"q":"3 + 3?"}, {"q":"4 + 4?"}]');
 * const items = await Array.fromAsync(readRows([lines, array], { start: 1, count: 2 }));
 * assert.equal(items[0].index, 1);
 * assert.ok("error" in items[0]); // an unreadable row is a one-line reason, and keeps its index
 * assert.deepEqual(items[1], { index: 2, row: { q: "3 + 3?" } });
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @module
 */
import { basename } from "node:path";
import {
  countLines,
  decodeRecord,
  type RawRecord,
  splitLines,
  type SplitLinesOptions,
} from "./_lines.ts";
import { splitJsonArray } from "./_json_array.ts";
import {
  countParquetRows,
  openParquetFile,
  parquetColumns,
  readParquetMetadata,
  readParquetRows,
} from "./_parquet.ts";
import { tarGzLines } from "./_tar_gz.ts";

/** A row (a plain JS object) or a one-line reason it could not be read; both consume `index`. */
export type RowItem =
  | { index: number; row: unknown }
  | {
    index: number;
    error: string;
    /** The row's line was longer than `maxRecordBytes` (and was never buffered whole). */
    tooLong?: boolean;
  };

/**
 * The longest JSON line read for rows of at most `maxTextChars` characters: room for every
 * character escaped (`\uXXXX`, 6 bytes) twice over, plus 4 MiB for the row's other fields.
 */
export function recordByteBound(maxTextChars: number): number {
  return 12 * maxTextChars + (4 << 20);
}

/** Which rows to read: `[start, start + count)` of the concatenated files. */
export interface ReadRowsOptions {
  /**
   * First global row index to yield.
   * @default {0}
   */
  start?: number;
  /**
   * How many rows to yield at most.
   * @default {undefined} (all)
   */
  count?: number;
  /**
   * Longest line of a JSON Lines (or `.tar.gz`) source, in bytes; a longer one is skipped as
   * "line too long" without being buffered (see {@link recordByteBound}).
   * @default {Infinity}
   */
  maxRecordBytes?: number;
}

/** File formats told apart by file name. */
export type RowFormat = "parquet" | "jsonl" | "json" | "tar.gz";

/** The format of `path` from its name, or an Error naming the supported endings. */
export function formatOf(path: string): RowFormat {
  const name = basename(path).toLowerCase();
  if (name.endsWith(".parquet")) return "parquet";
  if (name.endsWith(".jsonl")) return "jsonl";
  if (name.endsWith(".json")) return "json";
  if (name.endsWith(".tar.gz") || name.endsWith(".tgz")) return "tar.gz";
  throw new Error(
    `unsupported file type: ${basename(path)} (expected .parquet, .jsonl, .json, .tar.gz or .tgz)`,
  );
}

async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
  const file = await Deno.open(path, { read: true });
  // Iterating `readable` closes the file when the stream ends or is cancelled.
  yield* file.readable;
}

/** True if the first non-space byte of the file is `[` (a JSON array rather than JSON Lines). */
async function startsWithBracket(path: string): Promise<boolean> {
  using file = await Deno.open(path, { read: true });
  const buffer = new Uint8Array(4096);
  while (true) {
    const n = await file.read(buffer);
    if (n === null) return false;
    for (let i = 0; i < n; i++) {
      const byte = buffer[i];
      // Skip whitespace and a UTF-8 byte order mark.
      if (byte === 0x20 || byte === 0x09 || byte === 0x0d || byte === 0x0a) continue;
      if (byte === 0xef || byte === 0xbb || byte === 0xbf) continue;
      return byte === 0x5b;
    }
  }
}

/** The undecoded records of a text-based file, in order. */
async function textRecords(
  path: string,
  format: RowFormat,
  options: SplitLinesOptions = {},
): Promise<AsyncGenerator<RawRecord>> {
  const name = basename(path);
  if (format === "tar.gz") return tarGzLines(path, options);
  if (format === "json" && await startsWithBracket(path)) {
    return splitJsonArray(fileChunks(path), name, options);
  }
  return splitLines(fileChunks(path), name, options);
}

/**
 * Read rows `[start, start + count)` of `files`, taken in the given order as one sequence.
 * Bad lines become `{ index, error }` items; Parquet row groups before `start` are never read.
 */
export async function* readRows(
  files: string[],
  options: ReadRowsOptions = {},
): AsyncGenerator<RowItem> {
  const start = Math.max(0, options.start ?? 0);
  const end = options.count === undefined ? Infinity : start + Math.max(0, options.count);
  let offset = 0;
  for (const path of files) {
    if (offset >= end) return;
    const format = formatOf(path);
    if (format === "parquet") {
      const file = await openParquetFile(path);
      try {
        const metadata = await readParquetMetadata(file, path);
        const rows = Number(metadata.num_rows);
        if (offset + rows > start) {
          const skip = Math.max(0, start - offset);
          const take = Math.min(rows, end - offset) - skip;
          for await (const item of readParquetRows(file, metadata, { path, skip, take })) {
            yield "row" in item
              ? { index: offset + item.local, row: item.row }
              : { index: offset + item.local, error: item.error };
          }
        }
        offset += rows;
      } finally {
        file.close();
      }
      continue;
    }
    const split = { maxBytes: options.maxRecordBytes };
    for await (const record of await textRecords(path, format, split)) {
      const index = offset++;
      if (index < start) continue; // counted, not decoded
      if (index >= end) break;
      const decoded = decodeRecord(record);
      yield "row" in decoded
        ? { index, row: decoded.row }
        : { index, error: decoded.error, ...(record.tooLong ? { tooLong: true } : {}) };
    }
  }
}

/**
 * Total rows of `files`: Parquet from the footer only, JSON Lines and archives by counting
 * non-blank lines, JSON arrays by counting elements.
 */
export async function countRows(files: string[]): Promise<number> {
  let total = 0;
  for (const path of files) {
    const format = formatOf(path);
    if (format === "parquet") {
      total += await countParquetRows(path);
    } else if (format === "jsonl" || (format === "json" && !await startsWithBracket(path))) {
      total += await countLines(fileChunks(path));
    } else {
      for await (const _ of await textRecords(path, format)) total++;
    }
  }
  return total;
}

/** JSON rows looked at for {@linkcode readColumns}: a key in none of them is not a column. */
const COLUMN_SAMPLE_ROWS = 20;

/**
 * The columns `path` has: a Parquet file's top-level schema fields, or the keys of the first
 * rows (up to 20 readable objects) of a JSON, JSON Lines or `.tar.gz` file, in first-seen order.
 */
export async function readColumns(path: string): Promise<string[]> {
  if (formatOf(path) === "parquet") return await parquetColumns(path);
  const columns = new Set<string>();
  let seen = 0;
  for await (const record of await textRecords(path, formatOf(path))) {
    const decoded = decodeRecord(record);
    if (!("row" in decoded)) continue;
    const row = decoded.row;
    if (row === null || typeof row !== "object" || Array.isArray(row)) continue;
    for (const key of Object.keys(row)) columns.add(key);
    if (++seen >= COLUMN_SAMPLE_ROWS) break;
  }
  return [...columns];
}
