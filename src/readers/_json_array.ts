/** Incremental splitter for a top-level JSON array: yields each element's bytes, undecoded. */
import { type RawRecord, type SplitLinesOptions, tooLongError } from "./_lines.ts";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0d || byte === 0x0a;
}

/**
 * Split `[a, b, ...]` into element byte ranges while tracking strings, escapes and nesting depth,
 * so only one element is held in memory at a time.
 */
export async function* splitJsonArray(
  chunks: AsyncIterable<Uint8Array>,
  source: string,
  options: SplitLinesOptions = {},
): AsyncGenerator<RawRecord> {
  const maxBytes = options.maxBytes ?? Infinity;
  // The current element passed `maxBytes`: its bytes are no longer kept.
  let overlong = false;
  // 0 = before `[`, 1 = inside the array, 2 = after the closing `]`.
  let phase = 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let parts: Uint8Array[] = [];
  let partsLength = 0;
  let hasContent = false;
  let element = 0;

  function take(): RawRecord | undefined {
    if (overlong) {
      overlong = false;
      parts = [];
      partsLength = 0;
      hasContent = false;
      element++;
      const error = tooLongError(maxBytes);
      return {
        bytes: new Uint8Array(),
        position: element,
        source,
        unit: "element",
        error,
        tooLong: true,
      };
    }
    const bytes = new Uint8Array(partsLength);
    let offset = 0;
    for (const part of parts) {
      bytes.set(part, offset);
      offset += part.length;
    }
    parts = [];
    partsLength = 0;
    const had = hasContent;
    hasContent = false;
    if (!had) return undefined;
    element++;
    return { bytes, position: element, source, unit: "element" };
  }

  for await (const chunk of chunks) {
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (phase === 0) {
        if (byte === OPEN_BRACKET) {
          phase = 1;
          start = i + 1;
        }
        continue;
      }
      if (phase === 2) break;
      if (inString) {
        if (escaped) escaped = false;
        else if (byte === BACKSLASH) escaped = true;
        else if (byte === QUOTE) inString = false;
        continue;
      }
      if (byte === QUOTE) {
        inString = true;
        hasContent = true;
      } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
        depth++;
        hasContent = true;
      } else if ((byte === CLOSE_BRACE || byte === CLOSE_BRACKET) && depth > 0) {
        depth--;
      } else if (depth === 0 && (byte === COMMA || byte === CLOSE_BRACKET)) {
        if (partsLength + i - start > maxBytes) overlong = true;
        parts.push(chunk.subarray(start, i));
        partsLength += i - start;
        const record = take();
        if (record) yield record;
        start = i + 1;
        if (byte === CLOSE_BRACKET) phase = 2;
      } else if (!isSpace(byte)) {
        hasContent = true;
      }
    }
    if (phase === 1 && start < chunk.length && !overlong) {
      if (partsLength + chunk.length - start > maxBytes) {
        overlong = true;
        parts = [];
        partsLength = 0;
      } else {
        parts.push(chunk.slice(start));
        partsLength += chunk.length - start;
      }
    }
  }
  // A truncated array (no closing `]`): its last element is reported as such, not silently
  // accepted, even when it happens to be complete JSON.
  if (phase === 1) {
    const record = take();
    if (record?.tooLong) yield record;
    else if (record) {
      yield { ...record, error: "the JSON array has no closing ']' (truncated file?)" };
    } else {
      // Nothing after the last comma: the cut still gets one error row, so it is counted.
      element++;
      yield {
        bytes: new Uint8Array(0),
        position: element,
        source,
        unit: "element",
        error: "the JSON array has no closing ']' (truncated file?)",
      };
    }
  }
}
