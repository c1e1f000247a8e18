/**
 * The native path: painted frames and their changed rectangles → the H.264 encoder of `h264/` →
 * an MP4 written by Mediabunny (moov first, creation times zeroed so output is byte-identical
 * across runs), atomically. With audio, ffmpeg adds AAC to that MP4 with `-c:v copy` (no video
 * re-encode).
 */
import {
  BufferTarget,
  EncodedPacket,
  EncodedVideoPacketSource,
  Mp4OutputFormat,
  Output,
} from "mediabunny";
import { tempPathFor } from "../paths/mod.ts";
import { ProcessError, runChecked } from "../process/mod.ts";
import { fingerprintComment } from "./_mp4_check.ts";
import { fillFromGrey, fillFromRgb, H264Encoder, type Rect, YuvPicture } from "./h264/mod.ts";
import { dirname } from "node:path";
import {
  diskFullOr,
  EncodeError,
  type EncodeOptions,
  type EncodeResult,
  encodeTimeoutMs,
  fingerprintArgs,
  keepCompleteMp4,
  mp4OutputArgs,
} from "./_ffmpeg.ts";

/** Frames to encode, as the painter hands them over. */
export interface VideoFrames {
  width: number;
  height: number;
  /** `gray` or `rgb24`. */
  pixelFormat: string;
  /** The frame buffer, updated in place between frames. */
  frames: Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
  /**
   * Regions of the last yielded frame that changed since the frame before (updated in place as
   * frames are yielded). Absent: every frame is compared whole.
   */
  changes?: readonly Rect[];
}

/** One coded picture as an MP4 sample. */
interface Sample {
  data: Uint8Array;
  key: boolean;
}

/** A NAL unit with a 4-byte big-endian length prefix (the MP4 sample format). */
function lengthPrefixed(nal: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + nal.length);
  new DataView(out.buffer).setUint32(0, nal.length);
  out.set(nal, 4);
  return out;
}

/** AVCDecoderConfigurationRecord (ISO/IEC 14496-15) of one SPS and one PPS. */
export function avcDecoderConfig(sps: Uint8Array, pps: Uint8Array): Uint8Array {
  const out = new Uint8Array(11 + sps.length + pps.length);
  out.set([1, sps[1], sps[2], sps[3], 0xff, 0xe1, sps.length >> 8, sps.length & 0xff]);
  out.set(sps, 8);
  const o = 8 + sps.length;
  out.set([1, pps.length >> 8, pps.length & 0xff], o);
  out.set(pps, o + 3);
  return out;
}

/**
 * Zero the creation and modification times Mediabunny stamps into mvhd, tkhd and mdhd (the
 * only run-dependent bytes), as ffmpeg's `+bitexact` does.
 */
export function clearMp4Times(mp4: Uint8Array, start = 0, end = mp4.length): void {
  const view = new DataView(mp4.buffer, mp4.byteOffset, mp4.byteLength);
  let pos = start;
  while (pos + 8 <= end) {
    const size = view.getUint32(pos);
    const type = String.fromCharCode(mp4[pos + 4], mp4[pos + 5], mp4[pos + 6], mp4[pos + 7]);
    if (size < 8 || pos + size > end) break;
    if (type === "moov" || type === "trak" || type === "mdia") {
      clearMp4Times(mp4, pos + 8, pos + size);
    } else if (type === "mvhd" || type === "tkhd" || type === "mdhd") {
      const version = mp4[pos + 8];
      mp4.fill(0, pos + 12, pos + 12 + (version === 1 ? 16 : 8));
    }
    pos += size;
  }
}

/** Mux coded pictures into an MP4 in memory (moov before mdat). */
async function muxMp4(
  samples: Sample[],
  encoder: H264Encoder,
  options: { fps: number; fingerprint?: string },
): Promise<Uint8Array> {
  const { fps, fingerprint } = options;
  const target = new BufferTarget();
  const output = new Output({ format: new Mp4OutputFormat({ fastStart: "in-memory" }), target });
  // moov/udta/meta/ilst/©cmt, where ffmpeg's `-metadata comment=` puts it too: one reader.
  if (fingerprint !== undefined) {
    output.setMetadataTags({ comment: fingerprintComment(fingerprint) });
  }
  const source = new EncodedVideoPacketSource("avc");
  output.addVideoTrack(source, { frameRate: fps });
  await output.start();
  const { sps, pps } = encoder;
  const codec = "avc1." +
    [sps[1], sps[2], sps[3]].map((b) => b.toString(16).padStart(2, "0")).join("").toUpperCase();
  for (const [i, sample] of samples.entries()) {
    const packet = new EncodedPacket(sample.data, sample.key ? "key" : "delta", i / fps, 1 / fps);
    await source.add(
      packet,
      i === 0
        ? {
          decoderConfig: {
            codec,
            codedWidth: encoder.width,
            codedHeight: encoder.height,
            description: avcDecoderConfig(sps, pps),
          },
        }
        : undefined,
    );
  }
  await output.finalize();
  const mp4 = new Uint8Array(target.buffer!);
  clearMp4Times(mp4);
  return mp4;
}

/** Encode frames with the native encoder (all of them in memory: they are a few KB each). */
async function encodeSamples(
  video: VideoFrames,
  encoder: H264Encoder,
): Promise<Sample[]> {
  const fill = video.pixelFormat === "gray"
    ? fillFromGrey
    : video.pixelFormat === "rgb24"
    ? fillFromRgb
    : null;
  if (!fill) throw new EncodeError(`native encoder: unsupported pixel format ${video.pixelFormat}`);
  const picture = new YuvPicture(video.width, video.height);
  const samples: Sample[] = [];
  for await (const frame of video.frames) {
    const changes = samples.length > 0 && video.changes ? video.changes : undefined;
    if (changes) { for (const rect of changes) fill(picture, frame, rect); }
    else fill(picture, frame);
    const coded = encoder.encode(picture, changes);
    samples.push({ data: lengthPrefixed(coded.nal), key: coded.idr });
  }
  if (samples.length === 0) throw new EncodeError("native encoder: no frames to encode");
  return samples;
}

/**
 * How the native path codes narration. Measured on 8 TinyStories narrations (espeak, 35 s each),
 * CPU per narration with ffmpeg's start: the default two-loop search at 64 kb/s cost 1.3-1.7 s;
 * the fast coder at `-b:a 64k` 0.37 s (78 kb/s, 33 dB SNR below 7 kHz), its bit-rate search the
 * main cost; the fast coder at constant quality 1.2, 0.23-0.26 s (69 kb/s, the same 33 dB). The
 * 10 kHz cutoff keeps speech whole (espeak's energy above it is 43 dB below the total) and saves
 * coding the empty top band.
 */
export const NATIVE_AAC_ARGS: readonly string[] = [
  "-aac_coder",
  "fast",
  "-q:a",
  "1.2",
  "-cutoff",
  "10000",
];

/** ffmpeg arguments adding AAC audio to a native MP4 without touching its video. */
export function audioMuxArgs(
  videoPath: string,
  outPath: string,
  options: Pick<EncodeOptions, "audioPath" | "fingerprint">,
): string[] {
  return [
    "-hide_banner",
    "-nostdin",
    "-loglevel",
    "error",
    "-i",
    videoPath,
    "-i",
    options.audioPath!,
    "-map",
    "0:v:0",
    "-map",
    "1:a:0",
    "-c:v",
    "copy",
    "-c:a",
    "aac",
    ...NATIVE_AAC_ARGS,
    "-shortest",
    // The input's metadata is dropped (-map_metadata -1): the fingerprint is set again.
    ...fingerprintArgs(options.fingerprint),
    // -flags:v +bitexact in the shared tail is a no-op on a copied stream (same bytes, checked).
    ...mp4OutputArgs(outPath),
  ];
}

/**
 * Encode frames natively into an MP4 at `outPath`, written atomically (a temp name, renamed when
 * complete). With `audioPath`, ffmpeg muxes AAC audio alongside the native video stream.
 */
export async function encodeNative(
  video: VideoFrames,
  outPath: string,
  options: Omit<EncodeOptions, "width" | "height" | "pixelFormat">,
): Promise<EncodeResult> {
  const encoder = new H264Encoder({
    width: video.width,
    height: video.height,
    fps: options.fps,
    qp: options.qp,
  });
  const samples = await encodeSamples(video, encoder);
  const mp4 = await muxMp4(samples, encoder, options);
  const frames = options.frameCount ?? samples.length;
  if (!options.audioPath) {
    const tmp = tempPathFor(outPath);
    try {
      await Deno.writeFile(tmp, mp4);
      return await keepCompleteMp4(tmp, outPath, { frames, writer: "native encoder" });
    } catch (error) {
      await Deno.remove(tmp).catch(() => {});
      // A full disk stops the run (as with ffmpeg), not just this sample.
      throw diskFullOr(error, dirname(outPath));
    }
  }
  // Both temp files are named as every temp file is, so resume and verify recognise leftovers.
  const videoTmp = tempPathFor(outPath);
  const outTmp = tempPathFor(outPath);
  try {
    await Deno.writeFile(videoTmp, mp4);
    await runChecked(options.ffmpegBin, audioMuxArgs(videoTmp, outTmp, options), {
      tool: "ffmpeg",
      stdout: "null",
      timeoutMs: options.timeoutMs ?? encodeTimeoutMs(frames),
    });
    return await keepCompleteMp4(outTmp, outPath, { frames, writer: "ffmpeg exited 0 but" });
  } catch (error) {
    const disk = diskFullOr(error, dirname(outPath));
    throw disk === error && error instanceof ProcessError ? new EncodeError(error.message) : disk;
  } finally {
    await Deno.remove(videoTmp).catch(() => {});
    await Deno.remove(outTmp).catch(() => {});
  }
}
