/**
 * Test helpers that look at real rendered MP4s: ffprobe stream facts, decoded grey frames, ink
 * counts in rectangles, and running the `videoword` CLI as a subprocess.
 */
import assert from "node:assert/strict";
import { join } from "node:path";

/** Repository root (the folder holding `main.ts`). */
export const ROOT: string = new URL("../..", import.meta.url).pathname;

/** Default frame geometry of silent videos. */
export const WIDTH = 640;
export const HEIGHT = 360;
export const MARGIN = 15;

/** What ffprobe reports about the first video stream. */
export interface VideoProbe {
  codec: string;
  width: number;
  height: number;
  /** e.g. `193/10`. */
  r_frame_rate: string;
  /** Frames counted by decoding (`-count_frames`), not the container's claim. */
  nb_frames: number;
  /** Seconds. */
  duration: number;
  pix_fmt: string;
}

const decoder = new TextDecoder();

/** One stream as ffprobe reports it (frames counted by decoding). */
export interface ProbedStream {
  codec_type: string;
  codec_name: string;
  width?: number;
  height?: number;
  r_frame_rate: string;
  duration: string;
  nb_read_frames?: string;
  pix_fmt?: string;
}

/** ffprobe every stream of `path`, decoding to count frames; any ffprobe complaint throws. */
export async function probeStreams(path: string): Promise<ProbedStream[]> {
  const out = await new Deno.Command("ffprobe", {
    args: [
      "-v",
      "error",
      "-count_frames",
      "-show_entries",
      "stream=codec_type,codec_name,width,height,r_frame_rate,nb_read_frames,duration,pix_fmt",
      "-of",
      "json",
      path,
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = decoder.decode(out.stderr).trim();
  if (!out.success || stderr) throw new Error(`ffprobe ${path}: ${stderr || out.code}`);
  return JSON.parse(decoder.decode(out.stdout)).streams ?? [];
}

/** ffprobe the first video stream of `path`, counting its frames by decoding. */
export async function probeVideo(path: string): Promise<VideoProbe> {
  const stream = (await probeStreams(path)).find((s) => s.codec_type === "video");
  if (!stream) throw new Error(`ffprobe ${path}: no video stream`);
  return {
    codec: stream.codec_name,
    width: Number(stream.width),
    height: Number(stream.height),
    r_frame_rate: stream.r_frame_rate,
    nb_frames: Number(stream.nb_read_frames),
    duration: Number(stream.duration),
    pix_fmt: stream.pix_fmt ?? "",
  };
}

/** Frame size of `decodeGrayFrames` and `decodeRgbFrame`. */
export interface FrameSize {
  width?: number;
  height?: number;
}

/** Decode every frame of `path` to 8-bit grey (one byte per pixel, row-major). */
export async function decodeGrayFrames(
  path: string,
  options: FrameSize = {},
): Promise<Uint8Array[]> {
  const size = (options.width ?? WIDTH) * (options.height ?? HEIGHT);
  const out = await new Deno.Command("ffmpeg", {
    args: [
      "-hide_banner",
      "-nostdin",
      "-v",
      "error",
      "-i",
      path,
      "-f",
      "rawvideo",
      "-pix_fmt",
      "gray",
      "pipe:1",
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = decoder.decode(out.stderr).trim();
  if (!out.success || stderr) throw new Error(`ffmpeg decode ${path}: ${stderr || out.code}`);
  if (out.stdout.length % size !== 0) {
    throw new Error(`ffmpeg decode ${path}: ${out.stdout.length} bytes is not whole frames`);
  }
  const frames: Uint8Array[] = [];
  for (let offset = 0; offset < out.stdout.length; offset += size) {
    frames.push(out.stdout.subarray(offset, offset + size));
  }
  return frames;
}

/**
 * One frame of `path` decoded to RGB (`rgb24`, 3 bytes per pixel, row-major): frame number
 * `frame`, or the frame shown last (`"last"`). Asserts ffmpeg's success and the frame's size.
 */
export async function decodeRgbFrame(
  path: string,
  frame: number | "last",
  options: FrameSize = {},
): Promise<Uint8Array> {
  const which = frame === "last"
    ? ["-sseof", "-0.2", "-i", path]
    : ["-i", path, "-vf", `select=eq(n\\,${frame})`];
  const out = await new Deno.Command("ffmpeg", {
    args: [
      ...["-v", "error", "-nostdin", ...which, "-frames:v", "1"],
      ...["-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, decoder.decode(out.stderr));
  assert.equal(out.stdout.length, (options.width ?? WIDTH) * (options.height ?? HEIGHT) * 3);
  return out.stdout;
}

/** A pixel rectangle: left, top, width, height. */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Options of the pixel counters. */
export interface InkOptions {
  /** A pixel at or below this grey level is ink (128). */
  threshold?: number;
  /** Frame width (640). */
  width?: number;
}

/** Pixels of `frame` inside `rect` at or below the threshold. */
export function inkCount(frame: Uint8Array, rect: Rect, options: InkOptions = {}): number {
  const threshold = options.threshold ?? 128;
  const width = options.width ?? WIDTH;
  let count = 0;
  for (let y = rect.y; y < rect.y + rect.h; y++) {
    const row = y * width;
    for (let x = rect.x; x < rect.x + rect.w; x++) {
      if (frame[row + x] <= threshold) count++;
    }
  }
  return count;
}

/** The four margin strips of a `width`×`height` frame. */
export function marginRects(margin = MARGIN, size: FrameSize = {}): Rect[] {
  const w = size.width ?? WIDTH;
  const h = size.height ?? HEIGHT;
  return [
    { x: 0, y: 0, w, h: margin },
    { x: 0, y: h - margin, w, h: margin },
    { x: 0, y: margin, w: margin, h: h - 2 * margin },
    { x: w - margin, y: margin, w: margin, h: h - 2 * margin },
  ];
}

/** The text area inside the margins. */
export function textArea(margin = MARGIN, size: FrameSize = {}): Rect {
  const w = size.width ?? WIDTH;
  const h = size.height ?? HEIGHT;
  return { x: margin, y: margin, w: w - 2 * margin, h: h - 2 * margin };
}

/**
 * Rows that are dark across most of the text width (the separator line), top to bottom.
 * `share` is the fraction of the text width that must be ink (0.9).
 */
export function separatorRows(
  frame: Uint8Array,
  options: InkOptions & { share?: number } = {},
): number[] {
  const area = textArea();
  const rows: number[] = [];
  for (let y = area.y; y < area.y + area.h; y++) {
    const ink = inkCount(frame, { x: area.x, y, w: area.w, h: 1 }, options);
    if (ink >= area.w * (options.share ?? 0.9)) rows.push(y);
  }
  return rows;
}

/** True when two frames hold the same bytes. */
export function sameFrame(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Exit code and decoded output of one CLI run. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of `runVideoword` and `videowordCommand`. */
export interface RunOptions {
  /** Working directory (a temp dir, so no `videoword.jsonc` is picked up by accident). */
  cwd?: string;
  /** Variables laid over the inherited environment ("" unsets one for the program). */
  env?: Record<string, string>;
  /** @default {"piped"} */
  stdout?: "piped" | "null" | "inherit";
  /** @default {"piped"} */
  stderr?: "piped" | "null" | "inherit";
}

/** The program's command line (`deno run -A main.ts ARGS`), for a wrapper such as `unshare`. */
export function videowordArgv(args: string[]): string[] {
  return [Deno.execPath(), "run", "-A", join(ROOT, "main.ts"), ...args];
}

/**
 * The one way tests start the program: `deno run -A main.ts ARGS` (stdin closed), to `.spawn()`
 * when a test signals or watches it, or through {@linkcode runVideoword}.
 */
export function videowordCommand(args: string[], options: RunOptions = {}): Deno.Command {
  const [bin, ...rest] = videowordArgv(args);
  return new Deno.Command(bin, {
    args: rest,
    cwd: options.cwd,
    env: options.env,
    stdin: "null",
    stdout: options.stdout ?? "piped",
    stderr: options.stderr ?? "piped",
  });
}

/** Run `deno run -A main.ts ARGS` to completion. */
export async function runVideoword(args: string[], options: RunOptions = {}): Promise<CliResult> {
  const out = await videowordCommand(args, options).output();
  return {
    code: out.code,
    stdout: decoder.decode(out.stdout),
    stderr: decoder.decode(out.stderr),
  };
}

/** Run `fn` with a fresh temp folder, removed afterwards whatever happens. */
export async function withTempDir<T>(
  fn: (dir: string) => Promise<T>,
  prefix = "videoword_test_",
): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** Parse a JSON Lines file. */
export async function readJsonl(path: string): Promise<Record<string, unknown>[]> {
  const text = await Deno.readTextFile(path);
  return text.split("\n").filter((line) => line.length > 0).map((line) => JSON.parse(line));
}

/** Sorted names in `dir` matching `pattern` (none when the folder is absent). */
export async function listNames(dir: string, pattern: RegExp = /./): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (pattern.test(entry.name)) names.push(entry.name);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return names.sort();
}

/** Every file under `dir`, relative, sorted. */
export async function walkFiles(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory) out.push(...await walkFiles(`${dir}/${entry.name}`, rel));
    else out.push(rel);
  }
  return out.sort();
}

/**
 * A stand-in ffmpeg: answers `-version` like ffmpeg, and for an encode runs `body` with `$OUT`
 * set to the output path (the last argument) and stdin still holding the frames. Runs that use
 * one pass `--encoder x264`: silent videos are encoded natively by default, without ffmpeg.
 */
export async function standIn(dir: string, name: string, body: string): Promise<string> {
  const path = join(dir, name);
  await Deno.writeTextFile(
    path,
    [
      "#!/bin/bash",
      // `-version` alone or after `-hide_banner`: the tool check, not an encode.
      'case " $* " in *" -version "*) echo "ffmpeg version stand-in"; exit 0;; esac',
      'for a in "$@"; do OUT="$a"; done',
      body,
      "",
    ].join("\n"),
  );
  await Deno.chmod(path, 0o755);
  return path;
}
