/**
 * `deno task bench`: end-to-end silent rendering of a fixed set of real GSM8K rows against the
 * encode-only floor (the same frames, pre-painted in memory, through the same ffmpeg settings),
 * measured in the same run; plus bytes/video, luma PSNR, peak memory, and narrated videos with
 * espeak and piper (test voice), per video and per second of speech. Figures are CPU seconds (this process + its ffmpeg children), so they are per core.
 *
 * Then `--style varied` against the seed's look on the same rows, native encoder: bytes, CPU and
 * yuv420p PSNR side by side (tasks/style_bench.ts). Last, `videoword score`'s cost and the
 * legibility table (tasks/score_bench.ts).
 *
 * Usage: deno task bench [--videos N] [--workers N] [--narrated N] [--style-videos N]
 *        [--score-videos N] [--only style]
 *
 * @module
 */
import { join } from "node:path";
import { mapLimit } from "../src/concurrency/mod.ts";
import { runChecked, runProcess } from "../src/process/mod.ts";
import { getDataset, readSamples } from "../src/datasets/mod.ts";
import { paintFrames } from "../src/paint/mod.ts";
import { DEFAULT_CRF, ffmpegArgs, type VideoEncoderName } from "../src/encode/mod.ts";
import { audioRenderSettings, renderSettings, resolveOptions } from "../src/options/mod.ts";
import {
  narratedRenderer,
  type PlannedSample,
  renderShard,
  silentRenderer,
  type SilentState,
} from "../src/pipeline/mod.ts";
import { splitSentences } from "../src/text/mod.ts";
import { synthesize, type TtsEngine } from "../src/tts/mod.ts";
import { testVoiceConfig, testVoiceModel } from "./make_test_voice.ts";
import { scoreBench } from "./score_bench.ts";
import { styleBench } from "./style_bench.ts";

const FIXTURES = join(import.meta.dirname!, "..", "tests", "fixtures");
const ROWS = join(FIXTURES, "rows", "gsm8k_train.jsonl");
const PIPER_TEST_VOICE = join(FIXTURES, "piper", "en_US-test-medium.onnx");

function flag(name: string, fallback: number): number {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Number(Deno.args[i + 1]) : fallback;
}

/** CPU seconds of this process (`own`) and with its waited-for children (ffmpeg, espeak). */
function cpuTimes(): { own: number; total: number } {
  const stat = Deno.readTextFileSync("/proc/self/stat");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime, stime, cutime, cstime are fields 14-17 (1-based) → indices 11-14 after the name.
  const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(fields[i]) / 100);
  return { own: utime + stime, total: utime + stime + cutime + cstime };
}

function cpuSeconds(): number {
  return cpuTimes().total;
}

function peakRssMb(): number {
  const status = Deno.readTextFileSync("/proc/self/status");
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) / 1024 : NaN;
}

async function lumaPsnr(mp4: string, raw: string): Promise<number> {
  const out = await runProcess("ffmpeg", [
    "-hide_banner",
    "-i",
    mp4,
    "-f",
    "rawvideo",
    "-pix_fmt",
    "gray",
    "-s",
    "640x360",
    "-framerate",
    "19.3",
    "-i",
    raw,
    "-lavfi",
    "[0:v]format=gray[a];[a][1:v]psnr",
    "-f",
    "null",
    "-",
  ], { stdout: "null" });
  const match = /PSNR y:([0-9.]+|inf)/.exec(out.stderr);
  return match ? (match[1] === "inf" ? 99 : Number(match[1])) : NaN;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const videos = flag("videos", 60);
  const workers = flag("workers", navigator.hardwareConcurrency || 2);
  const narrated = flag("narrated", 8);
  const crf = flag("crf", DEFAULT_CRF);
  const spec = getDataset("gsm8k");
  const dir = await Deno.makeTempDir({ prefix: "videoword-bench-" });
  const styleVideos = flag("style-videos", 12);
  try {
    const only = Deno.args.indexOf("--only");
    if (only >= 0) {
      // One section alone (the machine may be shared).
      if (Deno.args[only + 1] !== "style") throw new Error("--only takes: style");
      await styleBench(dir, { rowsFile: ROWS, videos: styleVideos, workers });
      return;
    }
    console.log(
      `videoword bench: ${videos} GSM8K rows (train rows 0..${videos - 1}), ` +
        `${workers} workers, ${navigator.hardwareConcurrency} cores, CRF ${crf}`,
    );

    // 1. End to end: rows → layout → paint → encoder → files + manifests, with the native
    // encoder and with x264, on the same rows: the settings `videoword render --crf N
    // --encoder E` resolves to.
    const settingsFor = (encoder: VideoEncoderName) =>
      renderSettings(spec.key, resolveOptions("render", { flags: { crf, encoder } }).values).silent;
    // The row-length cap `render` resolves to when not given.
    const { maxTextChars } = renderSettings(spec.key, resolveOptions("render", {}).values).shard;
    const silent = settingsFor("x264");
    const endToEnd = async (encoder: VideoEncoderName) => {
      const renderer = silentRenderer(spec, settingsFor(encoder));
      const own0 = cpuTimes().own;
      const cpu0 = cpuSeconds();
      const wall0 = performance.now();
      const stats = await renderShard(spec, readSamples(spec, [ROWS], { count: videos }), {
        baseDir: join(dir, `e2e-${encoder}`),
        start: 0,
        count: videos,
        modes: ["inference", "rendering"],
        workers,
        templates: { inference: spec.templates.inference, rendering: spec.templates.rendering },
        progress: false,
        maxTextChars,
        renderer,
      });
      const cpu = cpuSeconds() - cpu0;
      const own = cpuTimes().own - own0;
      const wall = (performance.now() - wall0) / 1000;
      const lines = (await Deno.readTextFile(stats.manifests[0])).trim().split("\n").map((l) =>
        JSON.parse(l) as { video_path: string }
      );
      const sizes: number[] = [];
      for (const line of lines) sizes.push((await Deno.stat(line.video_path)).size);
      return { renderer, stats, cpu, own, wall, lines, sizes, peakMb: peakRssMb() };
    };
    const native = await endToEnd("native");
    const x264 = await endToEnd("x264");
    const renderer = x264.renderer;
    const e2ePeakMb = Math.max(native.peakMb, x264.peakMb);

    // 2. Encode-only floor: the same frames, painted beforehand (untimed), encoded from memory.
    const plans: PlannedSample<SilentState>[] = [];
    for await (const item of readSamples(spec, [ROWS], { count: videos })) {
      if (!("sample" in item)) continue;
      const planned = await renderer.plan(item.sample);
      if (!("skip" in planned)) plans.push(planned as PlannedSample<SilentState>);
    }
    // Raw frames go to disk so the floor is ffmpeg alone reading them, as the pipeline's ffmpeg
    // reads its stdin; memory stays flat however many videos are measured.
    await Deno.mkdir(join(dir, "floor"), { recursive: true });
    const raws: string[] = [];
    for (const [i, p] of plans.entries()) {
      const raw = join(dir, "floor", `${i}.gray`);
      const file = await Deno.open(raw, { write: true, create: true });
      for (const frame of paintFrames(p.state.plan).frames) await file.write(frame);
      file.close();
      raws.push(raw);
    }
    let cpu0 = cpuSeconds();
    let wall0 = performance.now();
    await mapLimit(raws, workers, async (raw) => {
      const args = ffmpegArgs(raw.replace(/\.gray$/, ".mp4"), {
        ...silent.encode,
        width: silent.layout.width,
        height: silent.layout.height,
        pixelFormat: "gray",
        fps: silent.fps,
      }).map((a) => a === "pipe:0" ? raw : a);
      await runChecked("ffmpeg", args, { stdout: "null" });
    });
    const floorCpu = cpuSeconds() - cpu0;
    const floorWall = (performance.now() - wall0) / 1000;

    const floorSizes: number[] = [];
    for (const raw of raws) floorSizes.push((await Deno.stat(raw.replace(/\.gray$/, ".mp4"))).size);

    // 3. Size and quality of what each wrote (PSNR against the drawn frames, first 10 videos).
    const psnrOf = async (paths: string[]) => {
      const out: number[] = [];
      for (let i = 0; i < Math.min(10, paths.length); i++) {
        out.push(await lumaPsnr(paths[i], raws[i]));
      }
      return out;
    };
    const nativePsnr = await psnrOf(native.lines.map((l) => l.video_path));
    const x264Psnr = await psnrOf(x264.lines.map((l) => l.video_path));
    const floorPerVideo = floorCpu / raws.length;
    const row = (
      name: string,
      cpu: number,
      count: number,
      wall: number,
      sizes: number[],
      psnrs: number[],
    ) =>
      console.log(
        `${name.padEnd(26)} ${(cpu / count).toFixed(3).padStart(9)} ` +
          `${(cpu / count / floorPerVideo).toFixed(2).padStart(8)}x ` +
          `${(count / wall).toFixed(2).padStart(10)} ` +
          `${(median(sizes) / 1024).toFixed(1).padStart(9)} KB ` +
          `${(sizes.reduce((a, b) => a + b, 0) / sizes.length / 1024).toFixed(1).padStart(8)} KB ` +
          `${median(psnrs).toFixed(2).padStart(7)} ${Math.min(...psnrs).toFixed(2).padStart(7)}`,
      );
    console.log("");
    console.log(
      `silent videos rendered: native ${native.stats.rendered}, x264 ${x264.stats.rendered} ` +
        `(skipped ${native.stats.skipped}); CPU is s/video/core (this process + children)`,
    );
    console.log(
      `${"".padEnd(26)} ${"CPU s".padStart(9)} ${"/floor".padStart(9)} ${
        "videos/s".padStart(10)
      } ` +
        `${"median".padStart(12)} ${"mean".padStart(11)} ${"PSNR md".padStart(7)} ${
          "min".padStart(7)
        }`,
    );
    row(
      "native, end to end",
      native.cpu,
      native.stats.rendered,
      native.wall,
      native.sizes,
      nativePsnr,
    );
    row("x264, end to end (today)", x264.cpu, x264.stats.rendered, x264.wall, x264.sizes, x264Psnr);
    row("x264 floor (encode only)", floorCpu, raws.length, floorWall, floorSizes, x264Psnr);
    const nativeRatio = native.cpu / native.stats.rendered / floorPerVideo;
    const bytesRatio = median(native.sizes) / median(x264.sizes);
    const totalBytesRatio = native.sizes.reduce((a, b) => a + b, 0) /
      x264.sizes.reduce((a, b) => a + b, 0);
    console.log(
      `native CPU / x264 floor:        ${nativeRatio.toFixed(3)}x (target <= 0.2x, goal 0.1x)`,
    );
    console.log(
      `native bytes / x264 bytes:      median ${bytesRatio.toFixed(2)}x, total ` +
        `${totalBytesRatio.toFixed(2)}x (target <= 1.2x at PSNR >= 45 dB; native min ` +
        `${Math.min(...nativePsnr).toFixed(2)} dB)`,
    );
    console.log(
      `videoword's own share (x264):   ${(x264.own / x264.stats.rendered).toFixed(3)} s/video ` +
        `(layout, paint, pipe); native, all in process: ` +
        `${(native.own / native.stats.rendered).toFixed(3)} s/video`,
    );

    // 4. Narrated videos: espeak next to piper (the committed test voice: the real onnxruntime
    // and phonemizer, a weightless model), end to end and TTS alone, per video and per second of
    // speech.
    if (narrated > 0) {
      const stories = getDataset("tinystories");
      const storyRows = join(FIXTURES, "rows", "tinystories_head60.jsonl");
      const texts: string[][] = [];
      for await (const sample of readSamples(stories, [storyRows], { count: narrated })) {
        if ("sample" in sample) texts.push(splitSentences(sample.sample.response, "en"));
      }
      const engines: { engine: TtsEngine; voice?: string; encoder: VideoEncoderName }[] = [
        { engine: "espeak", encoder: "native" },
        { engine: "espeak", encoder: "x264" },
        { engine: "piper", voice: PIPER_TEST_VOICE, encoder: "native" },
      ];
      const perEngine: Record<string, { video: number; audioSecond: number; tts: number }> = {};
      for (const { engine, voice, encoder } of engines) {
        // TTS alone, fresh cache: CPU per second of speech.
        const ttsDir = join(dir, `tts-only-${engine}-${encoder}`);
        cpu0 = cpuSeconds();
        let speech = 0;
        for (const sentences of texts) {
          const narration = await synthesize(sentences, {
            engine,
            language: "en",
            voice,
            cacheDir: ttsDir,
          });
          speech += narration.duration;
        }
        const ttsCpu = cpuSeconds() - cpu0;
        // The settings `audio-render --tts ENGINE [--voice V] --tts-cache DIR` resolves to.
        const flags = {
          tts: engine,
          voice,
          encoder,
          ttsCache: join(dir, `tts-${engine}-${encoder}`),
        };
        const r = narratedRenderer(
          stories,
          audioRenderSettings(stories.key, resolveOptions("audio-render", { flags }).values)
            .narrated,
        );
        cpu0 = cpuSeconds();
        wall0 = performance.now();
        const s = await renderShard(
          stories,
          readSamples(stories, [storyRows], { count: narrated }),
          {
            baseDir: join(dir, `narrated-${engine}-${encoder}`),
            start: 0,
            count: narrated,
            modes: ["inference", "rendering"],
            workers,
            templates: {
              inference: stories.templates.audioInference,
              rendering: stories.templates.audioRendering,
            },
            progress: false,
            maxTextChars,
            renderer: r,
          },
        );
        const cpu = cpuSeconds() - cpu0;
        const wall = (performance.now() - wall0) / 1000;
        perEngine[`${engine}-${encoder}`] = {
          video: cpu / s.rendered,
          audioSecond: ttsCpu / speech,
          tts: ttsCpu / texts.length,
        };
        console.log(
          `narrated (${engine}, ${encoder}, tinystories): ${s.rendered} videos, ` +
            `${(cpu / s.rendered).toFixed(3)} s/video/core end to end ` +
            `(${(s.rendered / wall).toFixed(2)} videos/s wall; ${s.failed} failed); TTS alone ` +
            `${(ttsCpu / texts.length).toFixed(3)} s/video, ` +
            `${(ttsCpu / speech).toFixed(4)} s CPU per s of speech (${speech.toFixed(1)} s spoken)`,
        );
      }
      const espeak = perEngine["espeak-native"];
      const piper = perEngine["piper-native"];
      const espeakX264 = perEngine["espeak-x264"];
      console.log(
        `narrated espeak, x264 / native: ${(espeakX264.video / espeak.video).toFixed(2)}x CPU ` +
          `per video end to end, TTS included (target >= 5x); without TTS ` +
          `${((espeakX264.video - espeakX264.tts) / (espeak.video - espeak.tts)).toFixed(2)}x`,
      );
      console.log(
        `piper (test voice) vs espeak:  ${(piper.video / espeak.video).toFixed(2)}x CPU per ` +
          `video end to end, ${(piper.audioSecond / espeak.audioSecond).toFixed(2)}x TTS CPU per ` +
          `second of speech`,
      );
      // One worker's memory with a loaded piper session, in a process of its own: the test
      // voice, and a stand-in as heavy as a medium voice (63 MB of weights read on every run).
      const heavy = join(dir, "heavy", "en_US-heavy-medium.onnx");
      await Deno.mkdir(join(dir, "heavy"));
      await Deno.writeFile(heavy, testVoiceModel({ weightsMb: 63 }));
      await Deno.writeTextFile(`${heavy}.json`, JSON.stringify(testVoiceConfig()));
      for (const voice of [PIPER_TEST_VOICE, heavy]) {
        const probe = await runChecked(Deno.execPath(), [
          "run",
          "-A",
          join(import.meta.dirname!, "piper_memory.ts"),
          voice,
        ], { tool: "deno" });
        console.log(new TextDecoder().decode(probe.stdout).trim());
      }
    }
    console.log(
      `peak memory, end-to-end phase: ${e2ePeakMb.toFixed(0)} MB for ${workers} workers ` +
        `(${(e2ePeakMb / workers).toFixed(0)} MB/worker; target < 300 MB/worker)`,
    );
    await styleBench(dir, { rowsFile: ROWS, videos: styleVideos, workers });
    await scoreBench(dir, flag("score-videos", 6));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) await main();
