/** Inspect one MP4 with ffprobe (demux only: cheap, but catches truncation). */
import { runProcess } from "../process/mod.ts";

/** What ffprobe found in a file, or why it could not read it. */
export type ProbeResult =
  | {
    ok: true;
    width: number;
    height: number;
    /** Video packets actually present (one per frame for H.264 without B-frame tricks). */
    frames: number;
    /** Video stream duration in seconds (format duration when the stream has none). */
    duration: number;
    hasAudio: boolean;
    videoCodec: string;
  }
  | { ok: false; error: string };

interface FfprobeJson {
  streams?: Array<{
    codec_type?: string;
    codec_name?: string;
    width?: number;
    height?: number;
    nb_read_packets?: string;
    duration?: string;
  }>;
  format?: { duration?: string };
}

/** Probe `path` with `ffprobe -count_packets`; any ffprobe complaint counts as corrupt. */
export async function probeVideo(path: string, ffprobe = "ffprobe"): Promise<ProbeResult> {
  const output = await runProcess(ffprobe, [
    "-v",
    "error",
    "-count_packets",
    "-show_entries",
    "stream=codec_type,codec_name,width,height,nb_read_packets,duration:format=duration",
    "-of",
    "json",
    path,
  ], { tool: "ffprobe" });
  const stderr = output.stderr.trim();
  if (output.code !== 0 || stderr !== "") {
    const first = stderr.split("\n")[0] || `ffprobe exit code ${output.code}`;
    return { ok: false, error: first.replace(`${path}: `, "") };
  }
  let info: FfprobeJson;
  try {
    info = JSON.parse(new TextDecoder().decode(output.stdout));
  } catch {
    return { ok: false, error: "ffprobe printed unreadable output" };
  }
  const streams = info.streams ?? [];
  const video = streams.find((s) => s.codec_type === "video");
  if (!video) return { ok: false, error: "no video stream" };
  const duration = Number(video.duration ?? info.format?.duration ?? NaN);
  return {
    ok: true,
    width: video.width ?? 0,
    height: video.height ?? 0,
    frames: Number(video.nb_read_packets ?? 0),
    duration,
    hasAudio: streams.some((s) => s.codec_type === "audio"),
    videoCodec: video.codec_name ?? "",
  };
}
