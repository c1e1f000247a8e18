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
  /** Set (with `error`) when the record was longer than the reader's byte bound. */
  tooLong?: boolean;
}

/** How {@link splitLines} splits. */
export interface SplitLinesOptions {
  /**
   * Longest line kept, in bytes. A longer one is not buffered past this: its bytes are dropped
   * as they arrive and it becomes an empty record with `tooLong` set.
   * @default {Infinity}
   */
  maxBytes?: number;
}

/** The error detail of a record longer than `maxBytes` (its reason is "line too long"). */
export function tooLongError(maxBytes: number): string {
  return `over ${maxBytes} bytes, the bound --max-text-chars sets`;
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
  options: SplitLinesOptions = {},
): AsyncGenerator<RawRecord> {
  const maxBytes = options.maxBytes ?? Infinity;
  let pending: Uint8Array[] = [];
  let pendingLength = 0;
  // Bytes of the current line seen so far, and whether it passed `maxBytes` (then not kept).
  let overlong = false;
  let lineNo = 0;
  const tooLong = (): RawRecord => ({
    bytes: new Uint8Array(),
    position: lineNo,
    source,
    unit: "line",
    error: tooLongError(maxBytes),
    tooLong: true,
  });
  for await (const chunk of chunks) {
    let from = 0;
    while (from < chunk.length) {
      const at = chunk.indexOf(NEWLINE, from);
      if (at < 0) {
        if (!overlong && pendingLength + chunk.length - from > maxBytes) {
          overlong = true;
          pending = [];
          pendingLength = 0;
        }
        if (!overlong) {
          // Copy: some streams reuse their chunk buffers.
          pending.push(chunk.slice(from));
          pendingLength += chunk.length - from;
        }
        break;
      }
      lineNo++;
      let line = chunk.subarray(from, at);
      from = at + 1;
      if (overlong || pendingLength + line.length > maxBytes) {
        overlong = false;
        pending = [];
        pendingLength = 0;
        yield tooLong();
        continue;
      }
      if (pending.length > 0) {
        pending.push(line);
        line = concatBytes(pending, pendingLength + line.length);
        pending = [];
        pendingLength = 0;
      }
      if (!isBlank(line)) yield { bytes: line, position: lineNo, source, unit: "line" };
    }
  }
  if (overlong) {
    lineNo++;
    yield tooLong();
  } else if (pendingLength > 0) {
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
