/**
 * Encode: raw frames → MP4 through an ffmpeg subprocess.
 *
 * @module
 */
export {
  DEFAULT_CRF,
  EncodeError,
  encodeFrames,
  type EncodeOptions,
  type EncodeResult,
  ffmpegArgs,
  type VideoCodec,
  X264_PRESETS,
} from "./ffmpeg.ts";
