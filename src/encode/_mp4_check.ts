/**
 * Completeness checks of an MP4 file from its box structure, for every encoder: ffmpeg 5.1 exits
 * 0 after failing to write the trailer (`moov`) on a full disk, and a broken encoder may write
 * anything. Only box headers and the few fields needed are read.
 */

/** Reads `length` bytes at `offset` (fewer at the end of the file). */
type ReadAt = (offset: number, length: number) => Promise<Uint8Array>;

interface Box {
  type: string;
  /** Offset of the payload (after the header). */
  start: number;
  /** Offset just past the box. */
  end: number;
}

/** The boxes in `[from, to)`; throws a one-line Error if one is cut off or malformed. */
async function readBoxes(read: ReadAt, from: number, to: number): Promise<Box[]> {
  const boxes: Box[] = [];
  let at = from;
  while (at < to) {
    if (to - at < 8) throw new Error(`${to - at} stray bytes at offset ${at}`);
    const head = await read(at, 16);
    const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
    let size = view.getUint32(0);
    const type = String.fromCharCode(...head.subarray(4, 8));
    let header = 8;
    if (size === 1) {
      if (head.length < 16) throw new Error(`box '${type}' at offset ${at} is cut off`);
      size = Number(view.getBigUint64(8));
      header = 16;
    } else if (size === 0) {
      size = to - at; // extends to the end
    }
    // iTunes-style metadata keys start with '©' (0xA9), e.g. the fingerprint's '©cmt'.
    if (!/^[\x20-\x7e\xa9]{4}$/.test(type) || size < header) {
      throw new Error(`no valid MP4 box at offset ${at}`);
    }
    if (at + size > to) {
      throw new Error(`box '${type}' at offset ${at} needs ${size} bytes, only ${to - at} left`);
    }
    boxes.push({ type, start: at + header, end: at + size });
    at += size;
  }
  return boxes;
}

function child(boxes: Box[], type: string): Box | undefined {
  return boxes.find((box) => box.type === type);
}

function fileReader(file: Deno.FsFile): ReadAt {
  return async (offset, length) => {
    await file.seek(offset, Deno.SeekMode.Start);
    const buffer = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      const n = await file.read(buffer.subarray(filled));
      if (n === null) break;
      filled += n;
    }
    return buffer.subarray(0, filled);
  };
}

/** Sample count of each video track (`hdlr` `vide`, from `stsz`/`stz2`). */
async function videoSampleCounts(read: ReadAt, moov: Box): Promise<number[]> {
  const counts: number[] = [];
  for (
    const trak of (await readBoxes(read, moov.start, moov.end)).filter((b) => b.type === "trak")
  ) {
    const mdia = child(await readBoxes(read, trak.start, trak.end), "mdia");
    if (!mdia) continue;
    const mdiaBoxes = await readBoxes(read, mdia.start, mdia.end);
    const hdlr = child(mdiaBoxes, "hdlr");
    if (!hdlr) continue;
    // version+flags (4), pre_defined (4), handler_type (4)
    const handler = String.fromCharCode(...await read(hdlr.start + 8, 4));
    if (handler !== "vide") continue;
    const minf = child(mdiaBoxes, "minf");
    const stbl = minf && child(await readBoxes(read, minf.start, minf.end), "stbl");
    const stblBoxes = stbl ? await readBoxes(read, stbl.start, stbl.end) : [];
    const stsz = child(stblBoxes, "stsz") ?? child(stblBoxes, "stz2");
    if (!stsz) throw new Error("video track without a sample size table");
    // version+flags (4), sample_size / reserved+field_size (4), sample_count (4)
    const bytes = await read(stsz.start + 8, 4);
    if (bytes.length < 4) throw new Error("sample size table is cut off");
    counts.push(new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0));
  }
  return counts;
}

/** What {@linkcode mp4Problem} checks besides the box structure. */
export interface Mp4CheckOptions {
  /** The video track must hold exactly this many samples (frames sent to the encoder). */
  frames?: number;
}

/**
 * Why the file at `path` is not a complete MP4, or null if it is: its top-level boxes must span
 * the file exactly and include `ftyp`, `moov` and `mdat`; with `frames`, the one video track's
 * sample count must equal it.
 *
 * @example
 * ```ts
 * const problem = await mp4Problem("out.mp4", { frames: 193 });
 * if (problem) console.error(`out.mp4 is incomplete: ${problem}`);
 * ```
 */
export async function mp4Problem(
  path: string,
  options: Mp4CheckOptions = {},
): Promise<string | null> {
  using file = await Deno.open(path, { read: true });
  const size = (await file.stat()).size;
  if (size === 0) return "empty file";
  const read = fileReader(file);
  try {
    const top = await readBoxes(read, 0, size);
    if (top[0]?.type !== "ftyp") return "does not start with an ftyp box";
    const moov = child(top, "moov");
    if (!moov) return "no moov box (the encoder did not finish the file)";
    if (!child(top, "mdat")) return "no mdat box";
    if (options.frames !== undefined) {
      const counts = await videoSampleCounts(read, moov);
      if (counts.length !== 1) return `${counts.length} video tracks, expected 1`;
      if (counts[0] !== options.frames) {
        return `${counts[0]} video frames in the file, ${options.frames} were sent`;
      }
    }
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * The cheap check before trusting a video an earlier run left: non-empty, box structure intact,
 * `moov` present. Reads only box headers.
 */
export async function isKeepableMp4(path: string): Promise<boolean> {
  try {
    return (await mp4Problem(path)) === null;
  } catch {
    return false; // missing or unreadable
  }
}

/**
 * What the `comment` metadata of every MP4 this program writes starts with; the video's
 * fingerprint (see `pipeline`'s `videoFingerprint`) follows.
 */
export const FINGERPRINT_COMMENT_PREFIX = "videoword-fingerprint:";

/** The `comment` metadata value that carries `fingerprint` in an MP4. */
export function fingerprintComment(fingerprint: string): string {
  return FINGERPRINT_COMMENT_PREFIX + fingerprint;
}

/**
 * The fingerprint embedded in the MP4 at `path` (`moov/udta/meta/ilst/©cmt/data`, written by the
 * native muxer and by ffmpeg's `-metadata comment=`), or null when it has none (a video of an
 * older release) or is not a readable MP4. Reads box headers and one small payload only: no
 * decode, so resume, verify and export can afford it for every video.
 *
 * @example
 * ```ts
 * const fingerprint = await mp4Fingerprint("out.mp4"); // "3f2a…" or null
 * ```
 */
export async function mp4Fingerprint(path: string): Promise<string | null> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch {
    return null;
  }
  try {
    const fromFile = fileReader(file);
    const size = (await file.stat()).size;
    const moov = child(await readBoxes(fromFile, 0, size), "moov");
    // moov is small (sample tables: a few KB per minute of video): one read, then walk memory.
    if (!moov || moov.end - moov.start > 64 << 20) return null;
    const bytes = await fromFile(moov.start, moov.end - moov.start);
    const read: ReadAt = (offset, length) =>
      Promise.resolve(bytes.subarray(offset - moov.start, offset - moov.start + length));
    let boxes = await readBoxes(read, moov.start, moov.end);
    // meta is a full box in MP4 (4 bytes of version and flags before its children).
    for (const [type, skip] of [["udta", 0], ["meta", 4], ["ilst", 0]] as const) {
      const box = child(boxes, type);
      if (!box) return null;
      boxes = await readBoxes(read, box.start + skip, box.end);
    }
    const comment = child(boxes, "\xa9cmt");
    const data = comment && child(await readBoxes(read, comment.start, comment.end), "data");
    // data: type indicator (4, 1 = UTF-8), locale (4), the value; a fingerprint is short.
    if (!data || data.end - data.start > 8 + 256) return null;
    const text = new TextDecoder().decode(await read(data.start + 8, data.end - data.start - 8));
    return text.startsWith(FINGERPRINT_COMMENT_PREFIX)
      ? text.slice(FINGERPRINT_COMMENT_PREFIX.length)
      : null;
  } catch {
    return null; // cut off or malformed: mp4Problem says why
  } finally {
    file.close();
  }
}
