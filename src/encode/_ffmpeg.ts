import { dirname } from "node:path";
import { tempPathFor } from "../paths/mod.ts";
import { ProcessError, runProcess, type RunResult, stderrTail } from "../process/mod.ts";
import { withDefaults } from "../defaults/mod.ts";
import { fingerprintComment, mp4Problem } from "./_mp4_check.ts";
import { DEFAULT_QP } from "./h264/mod.ts";

/** Video codecs offered: H.264 (default) or MPEG-4 Part 2 (the old OpenCV `mp4v` look). */
export type VideoCodec = "h264" | "mpeg4";

/**
 * Which encoder makes H.264: `native` (this program's encoder, coding only what changed) or
 * `x264` (libx264 through ffmpeg).
 */
export type VideoEncoderName = "native" | "x264";

/** The encoder choices a command resolves once; every field is set. */
export interface EncoderSettings {
  /**
   * Video codec.
   * @default {"h264"}
   */
  codec: VideoCodec;
  /**
   * H.264 encoder; `mpeg4` always goes through ffmpeg.
   * @default {"native"}
   */
  encoder: VideoEncoderName;
  /**
   * Quantiser of the native encoder, 12..51.
   * @default {19}
   */
  qp: number;
  /**
   * x264 constant rate factor; for mpeg4 the quantiser scale.
   * @default {23} (mpeg4: 4; see {@link defaultCrf})
   */
  crf: number;
  /**
   * x264 preset.
   * @default {"veryfast"}
   */
  preset: string;
  /**
   * ffmpeg binary.
   * @default {"ffmpeg"} (the CLI: `$VIDEOWORD_FFMPEG`, else `ffmpeg` on PATH)
   */
  ffmpegBin: string;
}

/** The defaults of {@link EncoderSettings} (`crf` follows the codec: {@link defaultCrf}). */
export const ENCODER_DEFAULTS: Readonly<Omit<EncoderSettings, "crf">> = {
  codec: "h264",
  encoder: "native",
  qp: DEFAULT_QP,
  preset: "veryfast",
  ffmpegBin: "ffmpeg",
};

/** `options` with every unset field at its default (one step: {@link ENCODER_DEFAULTS}, CRF by codec). */
export function encoderSettings(options: Partial<EncoderSettings> = {}): EncoderSettings {
  const merged = withDefaults(ENCODER_DEFAULTS, options);
  return { ...merged, crf: merged.crf ?? defaultCrf(merged.codec) };
}

/** The raw frames handed to the encoder. */
export interface RawVideoFormat {
  width: number;
  height: number;
  /** Raw input pixel format, as ffmpeg names it (`gray`, `rgb24`). */
  pixelFormat: string;
  /** Frames per second, e.g. 19.3. */
  fps: number;
}

/** How to encode one video. */
export interface EncodeOptions extends EncoderSettings, RawVideoFormat {
  /** An audio file to mux as AAC; the video's duration then follows the frames given. */
  audioPath?: string;
  /**
   * Kill ffmpeg and fail the video after this long.
   * @default encodeTimeoutMs(frameCount)
   */
  timeoutMs?: number;
  /** Frames that will be sent: scales the default timeout, and the MP4 must hold this many. */
  frameCount?: number;
  /**
   * What the video shows, as `pipeline`'s `videoFingerprint` hashed it: embedded as the MP4's
   * `comment` metadata (see {@linkcode mp4Fingerprint}), so resume, verify and export can tell.
   */
  fingerprint?: string;
}

/** ffmpeg output options embedding `fingerprint` (none without one). */
export function fingerprintArgs(fingerprint: string | undefined): string[] {
  return fingerprint === undefined
    ? []
    : ["-metadata", `comment=${fingerprintComment(fingerprint)}`];
}

/**
 * Default per-video encode timeout: 60 s plus 0.25 s per frame (193 frames: 108 s). A normal
 * encode takes well under a second; only a hung ffmpeg reaches it.
 */
export function encodeTimeoutMs(frameCount: number): number {
  return 60_000 + 250 * Math.max(0, frameCount);
}

/** x264 tune: `psnr` turns psy and adaptive quantisation off, which text edges reward. */
const X264_TUNE = "psnr";
/** AAC bit rate of narrated videos on the x264 path (the first release's audio). */
const AUDIO_BITRATE = "64k";

/** What was written. */
export interface EncodeResult {
  path: string;
  bytes: number;
}

/** ffmpeg could not be run or failed; `message` is one line, naming the binary and its stderr tail. */
export class EncodeError extends Error {
  override name = "EncodeError";
}

/**
 * The disk the videos go to is full. Not a per-sample failure: the run must stop (its name
 * survives the trip from a render thread, see {@linkcode isDiskFull}).
 */
export class DiskFullError extends EncodeError {
  override name = "DiskFullError";
  constructor(dir: string) {
    super(
      `disk full: no space left on the disk holding ${dir}; free space there and run the ` +
        `same command again (finished videos are kept)`,
    );
  }
}

/** True for a {@linkcode DiskFullError}, also one re-created from a render thread's message. */
export function isDiskFull(error: unknown): boolean {
  return error instanceof Error && error.name === "DiskFullError";
}

function noSpace(text: string): boolean {
  return /No space left on device|ENOSPC|os error 28/i.test(text);
}

/** `error` as a {@linkcode DiskFullError} for `dir` when it says the disk is full, else itself. */
export function diskFullOr(error: unknown, dir: string): unknown {
  return noSpace(String(error)) ? new DiskFullError(dir) : error;
}

/**
 * Give a finished temp MP4 its final name, only when it is complete: every encoder's output gets
 * this check (ffmpeg 5.1 exits 0 after failing to write the trailer on a full disk, and a broken
 * encoder may write anything). `writer` names who wrote it in the error.
 */
export async function keepCompleteMp4(
  tmp: string,
  outPath: string,
  options: { frames: number; writer: string },
): Promise<EncodeResult> {
  const problem = await mp4Problem(tmp, { frames: options.frames }).catch((e: Error) => e.message);
  if (problem) throw new EncodeError(`${options.writer} wrote an incomplete MP4: ${problem}`);
  const { size } = await Deno.stat(tmp);
  await Deno.rename(tmp, outPath);
  return { path: outPath, bytes: size };
}

/**
 * Default x264 constant rate factor. Measured on GSM8K frames (veryfast, tune psnr, no deblock):
 * CRF 23 gives a median ~57 KB and ~48 dB luma PSNR per 10 s video; CRF 20 gave 66 KB at
 * 51 dB, CRF 25 56 KB at 45 dB; CRF 26 with the default tune gave 59 KB at only 42 dB.
 */
export const DEFAULT_CRF = 23;

/** x264 `--preset` names (ffmpeg rejects others at encode time, once per video). */
export const X264_PRESETS: readonly string[] = [
  "ultrafast",
  "superfast",
  "veryfast",
  "faster",
  "fast",
  "medium",
  "slow",
  "slower",
  "veryslow",
  "placebo",
];

/** The CRF of `codec` when none is chosen: {@link DEFAULT_CRF} for h264, quantiser 4 for mpeg4. */
export function defaultCrf(codec: VideoCodec): number {
  return codec === "mpeg4" ? 4 : DEFAULT_CRF;
}

/** ffmpeg arguments for one encode reading raw frames from stdin (exported for tests and docs). */
export function ffmpegArgs(outPath: string, options: EncodeOptions): string[] {
  const codec = options.codec;
  const args = [
    "-hide_banner",
    "-nostdin",
    "-loglevel",
    "error",
    "-f",
    "rawvideo",
    "-pix_fmt",
    options.pixelFormat,
    "-s",
    `${options.width}x${options.height}`,
    "-framerate",
    String(options.fps),
    "-i",
    "pipe:0",
  ];
  if (options.audioPath) args.push("-i", options.audioPath);
  args.push("-map", "0:v:0");
  if (options.audioPath) args.push("-map", "1:a:0");
  if (codec === "h264") {
    args.push(
      "-c:v",
      "libx264",
      "-preset",
      options.preset,
      "-tune",
      X264_TUNE,
      "-crf",
      String(options.crf),
      // One thread per encoder: workers give the parallelism, and output stays deterministic.
      "-threads",
      "1",
      // Deblocking smears glyph edges; without it text is crisper and smaller (measured: -3%
      // bytes, +1 dB PSNR on GSM8K frames).
      "-x264-params",
      "log-level=error:no-deblock=1",
    );
  } else {
    args.push("-c:v", "mpeg4", "-q:v", String(options.crf), "-threads", "1");
  }
  args.push("-pix_fmt", "yuv420p");
  if (options.audioPath) {
    args.push("-c:a", "aac", "-b:a", AUDIO_BITRATE, "-shortest");
  }
  args.push(...fingerprintArgs(options.fingerprint), ...mp4OutputArgs(outPath));
  return args;
}

/**
 * The output arguments every ffmpeg MP4 write ends with (encodes and the native path's audio
 * mux): no metadata but what the arguments before set (the fingerprint), bit-exact streams (byte-identical reruns), moov first.
 */
export function mp4OutputArgs(outPath: string): string[] {
  return [
    "-map_metadata",
    "-1",
    "-fflags",
    "+bitexact",
    "-flags:v",
    "+bitexact",
    "-flags:a",
    "+bitexact",
    "-movflags",
    "+faststart",
    "-f",
    "mp4",
    "-y",
    outPath,
  ];
}

/**
 * Encode raw frames into an MP4 through one ffmpeg process (frames on stdin, no temp images).
 * Written to a temp name beside `outPath` and renamed when complete, so a killed run never leaves
 * a partial video under the final name.
 */
export async function encodeFrames(
  frames: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  outPath: string,
  options: EncodeOptions,
): Promise<EncodeResult> {
  const bin = options.ffmpegBin;
  const tmp = tempPathFor(outPath);
  const timeoutMs = options.timeoutMs ?? encodeTimeoutMs(options.frameCount ?? 0);
  let sent = 0;
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const frame of frames) {
      sent++;
      yield frame;
    }
  }
  const fail = async (error: unknown): Promise<never> => {
    await Deno.remove(tmp).catch(() => {});
    throw error;
  };
  let result: RunResult;
  try {
    result = await runProcess(bin, ffmpegArgs(tmp, options), {
      tool: "ffmpeg",
      stdin: counted(),
      stdout: "null",
      timeoutMs,
    });
  } catch (error) {
    if (error instanceof ProcessError && error.failure === "timeout") {
      return await fail(
        new EncodeError(`${bin} timed out after ${(timeoutMs / 1000).toFixed(1)} s and was killed`),
      );
    }
    return await fail(error instanceof ProcessError ? new EncodeError(error.message) : error);
  }
  if (noSpace(result.stderr)) return await fail(new DiskFullError(dirname(outPath)));
  if (!result.success) {
    return await fail(
      new EncodeError(`${bin} exited with code ${result.code}: ${stderrTail(result.stderr)}`),
    );
  }
  try {
    return await keepCompleteMp4(tmp, outPath, {
      frames: options.frameCount ?? sent,
      writer: `${bin} exited 0 but`,
    });
  } catch (error) {
    return await fail(diskFullOr(error, dirname(outPath)));
  }
}
