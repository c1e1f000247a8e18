/** `.tar.gz` archives of JSON Lines members, streamed: gunzip, then untar, then split lines. */
import { createTarDecoder, type ParsedTarEntry } from "modern-tar";
import { basename } from "node:path";
import { type RawRecord, splitLines, type SplitLinesOptions } from "./_lines.ts";

function isRowMember(entry: ParsedTarEntry): boolean {
  const type = entry.header.type ?? "file";
  const name = entry.header.name;
  return type === "file" && (name.endsWith(".jsonl") || name.endsWith(".json"));
}

async function* bodyChunks(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * Every non-blank line of every `.jsonl`/`.json` member, in archive order. Other members are
 * drained unread. Stopping early cancels the whole pipeline, which closes the file.
 */
export async function* tarGzLines(
  path: string,
  options: SplitLinesOptions = {},
): AsyncGenerator<RawRecord> {
  const file = await Deno.open(path, { read: true });
  const entries = file.readable
    .pipeThrough(new DecompressionStream("gzip"))
    .pipeThrough(createTarDecoder());
  const reader = entries.getReader();
  let done = false;
  try {
    while (true) {
      const next = await reader.read();
      if (next.done) {
        done = true;
        return;
      }
      const entry = next.value;
      if (!isRowMember(entry)) {
        await entry.body.cancel();
        continue;
      }
      const source = `${entry.header.name} in ${basename(path)}`;
      let finished = false;
      try {
        yield* splitLines(bodyChunks(entry.body), source, options);
        finished = true;
      } finally {
        if (!finished) await entry.body.cancel().catch(() => undefined);
      }
    }
  } catch (error) {
    // gzip and tar errors name neither the file nor what to do.
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `${path}: truncated or corrupt .tar.gz archive (${message}); download it again`,
      { cause: error },
    );
  } finally {
    if (!done) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
