/** Parquet rows via hyparquet, reading byte ranges from an open file and skipping whole row groups. */
import {
  type AsyncBuffer,
  type FileMetaData,
  parquetMetadataAsync,
  parquetReadObjects,
} from "hyparquet";
import { compressors } from "hyparquet-compressors";
import { basename } from "node:path";
import { firstLine } from "../errors/mod.ts";

/** Row groups bigger than this (compressed) are decoded in slices of `SLICE_ROWS` rows. */
const SLICE_THRESHOLD_BYTES = 16 * 1024 * 1024;
const SLICE_ROWS = 2048;

/** An open Parquet file: byte-range reads over a `Deno.FsFile`, serialized (seek + read). */
export interface ParquetFile {
  buffer: AsyncBuffer;
  close(): void;
}

/** Read exactly the bytes `[start, end)` of `file`. */
async function readRange(file: Deno.FsFile, start: number, end: number): Promise<ArrayBuffer> {
  const out = new Uint8Array(end - start);
  await file.seek(start, Deno.SeekMode.Start);
  let filled = 0;
  while (filled < out.length) {
    const n = await file.read(out.subarray(filled));
    if (n === null) throw new Error(`unexpected end of file at byte ${start + filled}`);
    filled += n;
  }
  return out.buffer;
}

/** Open `path` as a hyparquet `AsyncBuffer` that reads only the byte ranges asked for. */
export async function openParquetFile(path: string): Promise<ParquetFile> {
  const file = await Deno.open(path, { read: true });
  try {
    const { size } = await file.stat();
    let queue: Promise<unknown> = Promise.resolve();
    const buffer: AsyncBuffer = {
      byteLength: size,
      slice(start: number, end?: number): Promise<ArrayBuffer> {
        const stop = Math.min(end ?? size, size);
        // hyparquet may ask for several ranges at once; one seek+read at a time keeps them apart.
        const result = queue.then(() => readRange(file, start, Math.max(start, stop)));
        queue = result.catch(() => undefined);
        return result;
      },
    };
    return { buffer, close: () => file.close() };
  } catch (error) {
    file.close();
    throw error;
  }
}

/** Read the footer only. */
export async function readParquetMetadata(file: ParquetFile, path: string): Promise<FileMetaData> {
  try {
    return await parquetMetadataAsync(file.buffer);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot read Parquet metadata of ${basename(path)}: ${message}`);
  }
}

/** Number of rows of a Parquet file from its footer (no data pages are read). */
export async function countParquetRows(path: string): Promise<number> {
  const file = await openParquetFile(path);
  try {
    return Number((await readParquetMetadata(file, path)).num_rows);
  } finally {
    file.close();
  }
}

/** Caches the byte ranges of one row group so slicing a big group does not re-read the disk. */
function cachedBuffer(inner: AsyncBuffer): AsyncBuffer {
  const cache = new Map<string, Promise<ArrayBuffer>>();
  return {
    byteLength: inner.byteLength,
    slice(start: number, end?: number): Promise<ArrayBuffer> {
      const key = `${start}:${end}`;
      let hit = cache.get(key);
      if (!hit) {
        hit = Promise.resolve(inner.slice(start, end));
        cache.set(key, hit);
      }
      return hit;
    },
  };
}

/** A decoded row, or a failure covering `count` rows starting at local row `local`. */
export type ParquetItem =
  | { local: number; row: unknown }
  | { local: number; error: string };

/**
 * Yield rows `[skip, skip + take)` of an already-open file, row group by row group. Row groups
 * wholly before `skip` are passed over using `num_rows` only: their bytes are never read.
 */
export async function* readParquetRows(
  file: ParquetFile,
  metadata: FileMetaData,
  options: { path: string; skip: number; take: number },
): AsyncGenerator<ParquetItem> {
  const { path, skip } = options;
  const end = skip + options.take;
  let groupStart = 0;
  for (const group of metadata.row_groups) {
    const groupEnd = groupStart + Number(group.num_rows);
    if (groupEnd > skip && groupStart < end) {
      const from = Math.max(skip, groupStart);
      const to = Math.min(end, groupEnd);
      const compressed = group.columns.reduce(
        (sum, column) => sum + Number(column.meta_data?.total_compressed_size ?? 0n),
        0,
      );
      const step = compressed > SLICE_THRESHOLD_BYTES ? SLICE_ROWS : to - from;
      const buffer = cachedBuffer(file.buffer);
      for (let sliceStart = from; sliceStart < to; sliceStart += step) {
        const sliceEnd = Math.min(to, sliceStart + step);
        let rows: Record<string, unknown>[];
        try {
          rows = await parquetReadObjects({
            file: buffer,
            metadata,
            rowStart: sliceStart,
            rowEnd: sliceEnd,
            compressors,
          });
          if (rows.length !== sliceEnd - sliceStart) {
            throw new Error(`expected ${sliceEnd - sliceStart} rows, decoded ${rows.length}`);
          }
        } catch (error) {
          const message = firstLine(error);
          for (let local = sliceStart; local < sliceEnd; local++) {
            yield {
              local,
              error: `row ${local} of ${basename(path)}: cannot decode Parquet: ${message}`,
            };
          }
          continue;
        }
        for (let i = 0; i < rows.length; i++) yield { local: sliceStart + i, row: rows[i] };
      }
    }
    groupStart = groupEnd;
    if (groupStart >= end) break;
  }
}

/** The top-level column names of a Parquet file, from its footer's schema. */
export async function parquetColumns(path: string): Promise<string[]> {
  const file = await openParquetFile(path);
  try {
    const { schema } = await readParquetMetadata(file, path);
    const names: string[] = [];
    // The schema is a flattened tree: element 0 is the root; skip each column's sub-elements.
    let i = 1;
    while (i < schema.length) {
      names.push(schema[i].name);
      let pending = schema[i].num_children ?? 0;
      i++;
      while (pending > 0 && i < schema.length) {
        pending += (schema[i].num_children ?? 0) - 1;
        i++;
      }
    }
    return names;
  } finally {
    file.close();
  }
}
