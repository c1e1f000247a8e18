/** video2dataset-style WebDataset shards: `{key}.mp4`, `{key}.txt`, `{key}.json` per sample. */
import { join } from "node:path";
import { createTarPacker, type TarHeader } from "modern-tar";
import { writeFileAtomic } from "../atomic_write/mod.ts";
import { tempPathFor } from "../paths/mod.ts";
import { UsageError } from "../errors/mod.ts";
import type { ExportRow } from "./_rows.ts";

/** How samples are grouped into shards. */
export interface ShardLimits {
  /** Close a shard before it would pass this many bytes (one sample may exceed it alone). */
  shardSize: number;
  /** At most this many samples per shard (no limit when unset). */
  shardSamples?: number;
}

const BLOCK = 512;

/** Bytes one tar member takes: a header block plus the data padded to whole blocks. */
function memberBytes(size: number): number {
  return BLOCK + Math.ceil(size / BLOCK) * BLOCK;
}

/** Shard file name: five digits, like video2dataset's `00000.tar`. */
export function shardName(shard: number): string {
  return `${String(shard).padStart(5, "0")}.tar`;
}

interface Sample {
  row: ExportRow;
  text: Uint8Array;
  json: Uint8Array;
}

/** Split samples into shards by size and count, in order. */
export function planShards<T extends { bytes: number }>(items: T[], limits: ShardLimits): T[][] {
  const shards: T[][] = [];
  let current: T[] = [];
  let bytes = 2 * BLOCK; // end-of-archive blocks
  for (const item of items) {
    const full = current.length > 0 &&
      (bytes + item.bytes > limits.shardSize ||
        (limits.shardSamples !== undefined && current.length >= limits.shardSamples));
    if (full) {
      shards.push(current);
      current = [];
      bytes = 2 * BLOCK;
    }
    current.push(item);
    bytes += item.bytes;
  }
  if (current.length > 0) shards.push(current);
  return shards;
}

// Fixed header fields so re-running an export gives byte-identical tars.
function header(name: string, size: number): TarHeader {
  return {
    name,
    size,
    type: "file",
    mode: 0o644,
    mtime: new Date(0),
    uid: 0,
    gid: 0,
    uname: "",
    gname: "",
  };
}

async function writeMember(
  add: (h: TarHeader) => WritableStream<Uint8Array>,
  name: string,
  data: Uint8Array,
): Promise<void> {
  const writer = add(header(name, data.length)).getWriter();
  await writer.write(data);
  await writer.close();
}

/** Write one shard under a temp name, then rename it into place. */
async function writeShard(path: string, samples: Sample[]): Promise<void> {
  const tmp = tempPathFor(path);
  const file = await Deno.open(tmp, { write: true, create: true, truncate: true });
  const { readable, controller } = createTarPacker();
  const piping = readable.pipeTo(file.writable);
  try {
    const add = (h: TarHeader) => controller.add(h);
    for (const { row, text, json } of samples) {
      const video = await Deno.open(row.video);
      const size = (await video.stat()).size;
      await video.readable.pipeTo(add(header(`${row.key}.mp4`, size)));
      await writeMember(add, `${row.key}.txt`, text);
      await writeMember(add, `${row.key}.json`, json);
    }
    controller.finalize();
    await piping;
    await Deno.rename(tmp, path);
  } catch (error) {
    controller.error(error);
    await piping.catch(() => {});
    await Deno.remove(tmp).catch(() => {});
    throw error;
  }
}

/** Result of {@link writeWebDataset}. */
export interface WebDatasetResult {
  /** Shard file names in order. */
  shards: string[];
  /** Total bytes of the shards. */
  bytes: number;
}

/**
 * Write `rows` as tar shards in `out` (`00000.tar`, … each with a `00000.tar.idx` listing its
 * keys one per line), removing shards a previous, larger export left behind.
 */
export async function writeWebDataset(
  out: string,
  rows: ExportRow[],
  limits: ShardLimits & {
    /** Files an earlier export wrote in `out` (the only ones it may overwrite). */
    previous?: Set<string>;
  },
): Promise<WebDatasetResult> {
  const encoder = new TextEncoder();
  const samples = rows.map((row) => {
    const text = encoder.encode(row.prompt);
    const json = encoder.encode(
      JSON.stringify({ key: row.key, caption: row.prompt, ...row.fields }),
    );
    const bytes = memberBytes(row.size) + memberBytes(text.length) + memberBytes(json.length);
    return { row, text, json, bytes };
  });
  const groups = planShards(samples, limits);
  for (const i of groups.keys()) {
    for (const name of [shardName(i), `${shardName(i)}.idx`]) {
      if (limits.previous?.has(name) || !await Deno.lstat(join(out, name)).catch(() => null)) {
        continue;
      }
      throw new UsageError(
        `--out ${out} already holds ${name}, which no earlier export wrote: export never ` +
          `overwrites files it did not make; pass an empty or new --out folder`,
      );
    }
  }
  const names: string[] = [];
  let bytes = 0;
  for (const [i, group] of groups.entries()) {
    const name = shardName(i);
    const path = join(out, name);
    await writeShard(path, group);
    const index = group.map((s) => `${s.row.key}\n`).join("");
    await writeFileAtomic(`${path}.idx`, index);
    bytes += (await Deno.stat(path)).size;
    names.push(name);
  }
  return { shards: names, bytes };
}
