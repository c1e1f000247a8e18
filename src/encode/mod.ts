/**
 * Encode: painted frames → MP4, with the native H.264 encoder (`h264/`, muxed by Mediabunny,
 * `encodeVideo`) or through an ffmpeg subprocess (x264, mpeg4: `encodeFrames`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultCrf, ENCODER_DEFAULTS, encodeFrames } from "./mod.ts";
 *
 * const dir = await Deno.makeTempDir();
 * const frame = new Uint8Array(64 * 48).fill(255); // one white grey frame
 * await encodeFrames([frame, frame], `${dir}/white.mp4`, {
 *   ...ENCODER_DEFAULTS,
 *   crf: defaultCrf(ENCODER_DEFAULTS.codec),
 *   width: 64,
 *   height: 48,
 *   pixelFormat: "gray",
 *   fps: 24,
 * });
 * const mp4 = await Deno.readFile(`${dir}/white.mp4`);
 * assert.equal(new TextDecoder().decode(mp4.subarray(4, 8)), "ftyp"); // a whole MP4, atomically
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @module
 */
export {
  DEFAULT_CRF,
  defaultCrf,
  DiskFullError,
  EncodeError,
  encodeFrames,
  type EncodeOptions,
  ENCODER_DEFAULTS,
  type EncodeResult,
  type EncoderSettings,
  encoderSettings,
  encodeTimeoutMs,
  ffmpegArgs,
  isDiskFull,
  type RawVideoFormat,
  type VideoCodec,
  type VideoEncoderName,
  X264_PRESETS,
} from "./_ffmpeg.ts";
export {
  FINGERPRINT_COMMENT_PREFIX,
  isKeepableMp4,
  type Mp4CheckOptions,
  mp4Fingerprint,
  mp4Problem,
} from "./_mp4_check.ts";
export { audioMuxArgs, type VideoFrames } from "./_native.ts";
export { encodeVideo } from "./_video.ts";
export { DEFAULT_QP, MAX_QP, MIN_QP } from "./h264/mod.ts";
