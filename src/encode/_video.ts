import { encodeFrames, type EncodeOptions, type EncodeResult } from "./_ffmpeg.ts";
import { encodeNative, type VideoFrames } from "./_native.ts";

/**
 * Encode painted frames to an MP4 with the configured encoder: the native H.264 encoder (given
 * the painter's changed rectangles), or ffmpeg for `x264` and `mpeg4`. Written atomically.
 */
export async function encodeVideo(
  video: VideoFrames,
  outPath: string,
  options: Omit<EncodeOptions, "width" | "height" | "pixelFormat">,
): Promise<EncodeResult> {
  const native = options.encoder === "native" && options.codec === "h264";
  if (native) return await encodeNative(video, outPath, options);
  return await encodeFrames(video.frames, outPath, {
    ...options,
    width: video.width,
    height: video.height,
    pixelFormat: video.pixelFormat,
  });
}
