/**
 * The bench's `--style varied` section (issue 19): the same GSM8K rows rendered end to end with
 * the native encoder in the seed's look and in varied looks, side by side: bytes/video, CPU
 * s/video (this process + children), and PSNR in the encoder's colour space (yuv420p, ffmpeg's
 * psnr filter; the lossless source is the painter's frames, streamed to ffmpeg and converted
 * there, BT.601 limited as the encoder converts). Varied/seed ratios are measured in the same run.
 *
 * Run alone: deno run -A tasks/bench.ts --only style [--style-videos N] [--workers N]
 *
 * @module
 */
import { join } from "node:path";
import { runProcess } from "../src/process/mod.ts";
import { getDataset, readSamples } from "../src/datasets/mod.ts";
import { paintFrames } from "../src/paint/mod.ts";
import { renderSettings, resolveOptions } from "../src/options/mod.ts";
import {
  type PlannedSample,
  renderShard,
  silentRenderer,
  type SilentState,
} from "../src/pipeline/mod.ts";
import type { StyleName } from "../src/style/mod.ts";

/** PSNR the issue asks varied videos to keep (dB, yuv420p). */
export const MIN_STYLE_PSNR = 45;

/** PSNR of one video against its painted frames, in yuv420p: all planes, and luma alone. */
async function yuvPsnr(
  mp4: string,
  planned: PlannedSample<SilentState>,
  fps: number,
): Promise<{ all: number; y: number; frames: number }> {
  const { plan, paint, look } = planned.state;
  const painted = paintFrames(plan, look ? { ...paint, look } : paint);
  function* frames(): Generator<Uint8Array> {
    // The painter updates one buffer in place: hand ffmpeg a copy of each frame.
    for (const frame of painted.frames) yield frame.slice();
  }
  const out = await runProcess("ffmpeg", [
    ...["-hide_banner", "-nostdin", "-i", mp4],
    ...["-f", "rawvideo", "-pix_fmt", painted.pixelFormat],
    ...["-s", `${painted.width}x${painted.height}`, "-framerate", String(fps), "-i", "pipe:0"],
    ...["-lavfi", "[0:v]format=yuv420p[a];[1:v]format=yuv420p[b];[a][b]psnr"],
    ...["-f", "null", "-"],
  ], { stdin: frames(), stdout: "null" });
  const match = /PSNR y:([0-9.]+|inf) u:(?:[0-9.]+|inf) v:(?:[0-9.]+|inf) average:([0-9.]+|inf)/
    .exec(out.stderr);
  if (!match) throw new Error(`no PSNR from ffmpeg for ${mp4}: ${out.stderr.slice(-400)}`);
  const db = (s: string) => (s === "inf" ? 99 : Number(s));
  return { y: db(match[1]), all: db(match[2]), frames: plan.frames.length };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** CPU seconds of this process with its waited-for children. */
function cpuSeconds(): number {
  const stat = Deno.readTextFileSync("/proc/self/stat");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]) / 100, 0);
}

/** One look's figures. */
export interface StyleBenchRow {
  style: StyleName;
  videos: number;
  meanBytes: number;
  medianBytes: number;
  cpuPerVideo: number;
  psnrMin: number;
  psnrMedian: number;
  lumaPsnrMin: number;
  /** Per background kind: videos, and their bytes over the same rows' bytes in the first look. */
  kinds: Record<string, { videos: number; bytesRatio: number }>;
  /** Bytes by row index. */
  bytesByRow: Map<number, number>;
}

/**
 * Render `rows` of `rowsFile` (GSM8K) in each look with the native encoder and print the
 * side-by-side table; returns the rows for callers that check them.
 */
export async function styleBench(
  dir: string,
  options: { rowsFile: string; videos: number; workers: number; styleSeed?: number },
): Promise<StyleBenchRow[]> {
  const spec = getDataset("gsm8k");
  const { videos, workers } = options;
  const results: StyleBenchRow[] = [];
  // The settings `videoword render --encoder native --style S --style-seed N` resolves to.
  const settingsOf = (style: StyleName) =>
    renderSettings(
      spec.key,
      resolveOptions("render", {
        flags: { encoder: "native", style, styleSeed: options.styleSeed ?? 0 },
      }).values,
    );
  const render = (style: StyleName, count: number, base: string) => {
    const settings = settingsOf(style);
    const renderer = silentRenderer(spec, settings.silent);
    const run = renderShard(spec, readSamples(spec, [options.rowsFile], { count }), {
      baseDir: join(dir, base),
      start: 0,
      count,
      modes: ["rendering"],
      workers,
      templates: { inference: spec.templates.inference, rendering: spec.templates.rendering },
      progress: false,
      maxTextChars: settings.shard.maxTextChars,
      renderer,
    });
    return { settings, renderer, run };
  };
  // Untimed warm-up of both looks (compiled code, loaded fonts), so neither pays it in its figure.
  for (const style of ["seed", "varied"] as const) {
    await render(style, Math.min(2, videos), `style-warm-${style}`).run;
  }
  for (const style of ["seed", "varied"] as const) {
    const cpu0 = cpuSeconds();
    const { settings, renderer, run } = render(style, videos, `style-${style}`);
    const stats = await run;
    const cpu = cpuSeconds() - cpu0;
    const lines = (await Deno.readTextFile(stats.manifests[0])).trim().split("\n").map((l) =>
      JSON.parse(l) as { video_path: string; index: number; style: { background_kind: string } }
    );
    // PSNR (untimed): re-plan each row (plans are pure) and stream its painted frames to ffmpeg.
    const byIndex = new Map<number, PlannedSample<SilentState>>();
    for await (const item of readSamples(spec, [options.rowsFile], { count: videos })) {
      if (!("sample" in item)) continue;
      const planned = await renderer.plan(item.sample);
      if (!("skip" in planned)) {
        byIndex.set(item.sample.index, planned as PlannedSample<SilentState>);
      }
    }
    const sizes: number[] = [];
    const psnrs: number[] = [];
    const lumas: number[] = [];
    const bytesByRow = new Map<number, number>();
    const byKind: Record<string, { videos: number; bytes: number; baseline: number }> = {};
    for (const line of lines) {
      const bytes = (await Deno.stat(line.video_path)).size;
      sizes.push(bytes);
      bytesByRow.set(line.index, bytes);
      const psnr = await yuvPsnr(line.video_path, byIndex.get(line.index)!, settings.silent.fps);
      psnrs.push(psnr.all);
      lumas.push(psnr.y);
      const kind = (byKind[line.style.background_kind] ??= { videos: 0, bytes: 0, baseline: 0 });
      kind.videos++;
      kind.bytes += bytes;
      kind.baseline += results[0]?.bytesByRow.get(line.index) ?? bytes;
    }
    const kinds = Object.fromEntries(
      Object.entries(byKind).map(([k, v]) => [k, {
        videos: v.videos,
        bytesRatio: v.bytes / v.baseline,
      }]),
    );
    results.push({
      style,
      videos: stats.rendered,
      meanBytes: mean(sizes),
      medianBytes: median(sizes),
      cpuPerVideo: cpu / stats.rendered,
      psnrMin: Math.min(...psnrs),
      psnrMedian: median(psnrs),
      lumaPsnrMin: Math.min(...lumas),
      kinds,
      bytesByRow,
    });
  }
  const [seed, varied] = results;
  console.log("");
  console.log(
    `--style varied vs seed: ${seed.videos} GSM8K rows, native encoder, ${workers} workers; ` +
      `PSNR yuv420p (all planes) against the painted frames`,
  );
  console.log(
    `${"".padEnd(8)} ${"KB/video".padStart(9)} ${"median".padStart(8)} ${"CPU s".padStart(7)} ` +
      `${"PSNR min".padStart(9)} ${"median".padStart(7)} ${"Y min".padStart(7)}  ` +
      `backgrounds: videos (bytes / the same rows' seed bytes)`,
  );
  for (const r of results) {
    console.log(
      `${r.style.padEnd(8)} ${(r.meanBytes / 1024).toFixed(1).padStart(9)} ` +
        `${(r.medianBytes / 1024).toFixed(1).padStart(8)} ${
          r.cpuPerVideo.toFixed(3).padStart(7)
        } ` +
        `${r.psnrMin.toFixed(2).padStart(9)} ${r.psnrMedian.toFixed(2).padStart(7)} ` +
        `${r.lumaPsnrMin.toFixed(2).padStart(7)}  ` +
        Object.entries(r.kinds)
          .map(([k, n]) => `${k} ${n.videos} (${n.bytesRatio.toFixed(2)}x)`)
          .join(", "),
    );
  }
  console.log(
    `varied / seed: ${(varied.meanBytes / seed.meanBytes).toFixed(2)}x bytes (mean), ` +
      `${(varied.cpuPerVideo / seed.cpuPerVideo).toFixed(2)}x CPU; varied PSNR min ` +
      `${varied.psnrMin.toFixed(2)} dB (target >= ${MIN_STYLE_PSNR} dB)`,
  );
  return results;
}
