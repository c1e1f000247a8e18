/** Byte-level line splitting and JSON row decoding shared by the line-based formats. */

/** One non-blank line of a text source, still undecoded (decoding is deferred until needed). */
export interface RawRecord {
  bytes: Uint8Array;
  /** 1-based line (or element) number inside `source`. */
  position: number;
  /** Human name of where the record came from, e.g. `foo.jsonl`. */
  source: string;
  /** `line` for JSON Lines, `element` for JSON arrays. */
  unit: "line" | "element";
  /** Set when the record is known bad before decoding (e.g. the file ends inside it). */
  error?: string;
}

const NEWLINE = 0x0a;

/** True if the bytes hold only ASCII whitespace (such lines are not rows). */
export function isBlank(bytes: Uint8Array): boolean {
  for (const byte of bytes) {
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d && byte !== 0x0a) return false;
  }
  return true;
}

function concatBytes(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Split a byte stream into non-blank lines without decoding them. Line numbers count blank lines
 * too, so error messages point at the physical line.
 */
export async function* splitLines(
  chunks: AsyncIterable<Uint8Array>,
  source: string,
): AsyncGenerator<RawRecord> {
  let pending: Uint8Array[] = [];
  let pendingLength = 0;
  let lineNo = 0;
  for await (const chunk of chunks) {
    let from = 0;
    while (from < chunk.length) {
      const at = chunk.indexOf(NEWLINE, from);
      if (at < 0) {
        // Copy: some streams reuse their chunk buffers.
        pending.push(chunk.slice(from));
        pendingLength += chunk.length - from;
        break;
      }
      lineNo++;
      let line = chunk.subarray(from, at);
      if (pending.length > 0) {
        pending.push(line);
        line = concatBytes(pending, pendingLength + line.length);
        pending = [];
        pendingLength = 0;
      }
      from = at + 1;
      if (!isBlank(line)) yield { bytes: line, position: lineNo, source, unit: "line" };
    }
  }
  if (pendingLength > 0) {
    lineNo++;
    const line = concatBytes(pending, pendingLength);
    if (!isBlank(line)) yield { bytes: line, position: lineNo, source, unit: "line" };
  }
}

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** Decode one record into a JSON object, or a one-line error naming where it came from. */
export function decodeRecord(record: RawRecord): { row: unknown } | { error: string } {
  const where = `${record.unit} ${record.position} of ${record.source}`;
  if (record.error) return { error: `${where}: ${record.error}` };
  let text: string;
  try {
    text = decoder.decode(record.bytes);
  } catch {
    return { error: `${where}: invalid UTF-8` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: `${where}: invalid JSON` };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    const kind = value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
    return { error: `${where}: not a JSON object (${kind})` };
  }
  return { row: value };
}

/** Count the non-blank lines of a byte stream (the rows of a JSON Lines source). */
export async function countLines(chunks: AsyncIterable<Uint8Array>): Promise<number> {
  let count = 0;
  // Whether the current line has a non-space byte; carried across chunk boundaries.
  let content = false;
  for await (const chunk of chunks) {
    let i = 0;
    while (i < chunk.length) {
      if (!content) {
        const byte = chunk[i];
        if (byte === 0x20 || byte === 0x09 || byte === 0x0d || byte === NEWLINE) {
          i++;
          continue;
        }
        content = true;
      }
      const at = chunk.indexOf(NEWLINE, i);
      if (at < 0) break;
      count++;
      content = false;
      i = at + 1;
    }
  }
  return content ? count + 1 : count;
}
