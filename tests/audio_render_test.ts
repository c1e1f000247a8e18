/**
 * `videoword audio-render` end to end: real TTS (espeak-ng, or the loopback Edge server), real
 * MP4s probed and decoded, manifests parsed.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { EDGE_URL_ENV } from "../src/tts/mod.ts";
import { splitSubtitle, subtitleBand } from "../src/layout/mod.ts";
import { fontMeasure } from "../src/paint/mod.ts";
import { splitSentences } from "../src/text/mod.ts";
import { type EdgeServerOptions, startEdgeServer } from "./helpers/edge_server.ts";
import {
  type CliResult,
  decodeGrayFrames,
  inkCount,
  listNames,
  probeStreams,
  readJsonl,
  ROOT,
  runVideoword,
  withTempDir,
} from "./helpers/video.ts";

const FPS = 24;
const WIDTH = 640;
const HEIGHT = 360;
/** The band: two 44 px lines plus 10 px padding above and below, at the bottom. */
const BAND_TOP = 252;

function audioRender(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runVideoword(["audio-render", ...args, "--no-progress"], { env });
}

interface Streams {
  video: {
    codec: string;
    width: number;
    height: number;
    rate: string;
    duration: number;
    frames: number;
  };
  audio: { codec: string; duration: number };
}

async function probeAv(path: string): Promise<Streams> {
  const streams = await probeStreams(path);
  const video = streams.find((s) => s.codec_type === "video");
  const audio = streams.find((s) => s.codec_type === "audio");
  assert.ok(video && audio, `${path}: one video and one audio stream`);
  assert.equal(streams.length, 2);
  return {
    video: {
      codec: video.codec_name,
      width: Number(video.width),
      height: Number(video.height),
      rate: video.r_frame_rate,
      duration: Number(video.duration),
      frames: Number(video.nb_read_frames),
    },
    audio: { codec: audio.codec_name, duration: Number(audio.duration) },
  };
}

type Line = Record<string, unknown> & {
  video_path: string;
  prompt: string;
  index: number;
  prompt_text: string;
  spoken_text: string;
  sentences: { text: string; start: number; end: number }[];
  subtitles: { text: string; start: number; end: number }[];
  duration: number;
  audio_duration: number;
  frames: number;
};

async function manifests(base: string, dataset: string): Promise<Record<string, Line[]>> {
  const dir = join(base, `${dataset}_audio`);
  return {
    inference: (await readJsonl(
      join(dir, `${dataset}_inference_audio_video_data_0.jsonl`),
    )) as Line[],
    rendering: (await readJsonl(
      join(dir, `${dataset}_rendering_audio_video_data_0.jsonl`),
    )) as Line[],
  };
}

async function stats(base: string, dataset: string): Promise<Record<string, unknown>> {
  return JSON.parse(
    await Deno.readTextFile(join(base, `${dataset}_audio`, `${dataset}_stats_0.json`)),
  );
}

const TEMPLATES: Record<string, { inference: string; rendering: string }> = {
  tinystories: {
    inference:
      'Story context: "{prompt}" The video shows the story continuation with synchronized subtitles.',
    rendering: 'Story with subtitles: "{prompt} {spoken}"',
  },
  tinystories_chinese: {
    inference: '故事上文："{prompt}" 视频显示故事续写的同步字幕。',
    rendering: '故事带字幕："{prompt} {spoken}"',
  },
};

/** Both manifests: one line per video in row order, the narrated templates exactly. */
function checkManifests(dataset: string, lines: Record<string, Line[]>, videos: number): void {
  const fill = (template: string, line: Line) =>
    template.replace("{prompt}", line.prompt_text).replace("{spoken}", line.spoken_text);
  for (const mode of ["inference", "rendering"] as const) {
    assert.equal(lines[mode].length, videos, `${mode}: one line per video`);
    lines[mode].forEach((line, i) => {
      assert.equal(line.prompt, fill(TEMPLATES[dataset][mode], line));
      assert.equal(line.index, lines.inference[i].index);
      assert.equal(line.video_path, lines.inference[i].video_path);
    });
  }
  for (const line of lines.inference) {
    const glue = dataset === "tinystories_chinese" ? "" : " ";
    assert.equal(line.spoken_text, line.sentences.map((s) => s.text).join(glue));
    assert.equal(line.response_text, line.spoken_text);
    assert.equal(line.fps, FPS);
    assert.equal(line.width, WIDTH);
    assert.equal(line.height, HEIGHT);
    // The video is exactly `frames` long; the audio may end up to one frame earlier.
    assert.equal(line.frames, Math.ceil(line.audio_duration * FPS - 1e-6));
    assert.equal(line.duration, Number((line.frames / FPS).toFixed(3)));
    assert.equal(Math.round(line.duration * FPS), line.frames);
    assert.equal(line.sentences[0].start, 0);
    for (let i = 1; i < line.sentences.length; i++) {
      assert.equal(line.sentences[i].start, line.sentences[i - 1].end, "contiguous sentences");
    }
  }
}

async function checkStreams(line: Line, maxDuration: number): Promise<void> {
  const s = await probeAv(line.video_path);
  assert.equal(s.video.codec, "h264");
  assert.equal(s.video.width, WIDTH);
  assert.equal(s.video.height, HEIGHT);
  assert.equal(s.video.rate, "24/1");
  assert.equal(s.audio.codec, "aac");
  assert.equal(s.video.frames, line.frames);
  assert.ok(Math.abs(s.video.duration - s.audio.duration) <= 0.05, JSON.stringify(s));
  assert.ok(Math.abs(s.audio.duration - line.audio_duration) <= 0.05, `${s.audio.duration}`);
  assert.ok(Math.abs(s.video.duration - line.duration) <= 2e-3, `${s.video.duration}`);
  assert.ok(line.audio_duration <= maxDuration, `${line.audio_duration} ≤ ${maxDuration}`);
  assert.ok(line.duration - line.audio_duration < 1 / FPS + 1e-3);
  assert.ok(line.audio_duration > 1);
}

Deno.test("espeak: tinystories and tinystories_chinese, h264 + aac of equal length", async () => {
  await withTempDir(async (base) => {
    for (const dataset of ["tinystories", "tinystories_chinese"]) {
      const result = await audioRender([
        dataset,
        ...["--source", "samples", "--num-samples", "2", "--tts", "espeak", "--base-dir", base],
      ]);
      assert.equal(result.code, 0, result.stderr);
      const lines = await manifests(base, dataset);
      checkManifests(dataset, lines, 2);
      for (const line of lines.inference) {
        await checkStreams(line, 30);
        assert.equal(line.tts, "espeak");
        assert.equal(line.voice, dataset === "tinystories" ? "en-us" : "cmn-latn-pinyin");
      }
      assert.deepEqual(
        await listNames(join(base, `${dataset}_audio`, "video")),
        [`${dataset}_000000.mp4`, `${dataset}_000001.mp4`],
      );
    }
  });
});

Deno.test("espeak: --max-duration 6 cuts at a sentence end", async () => {
  await withTempDir(async (base) => {
    const result = await audioRender([
      "tinystories",
      ...["--source", "samples", "--num-samples", "2", "--tts", "espeak", "--base-dir", base],
      ...["--max-duration", "6", "--mode", "rendering"],
    ]);
    assert.equal(result.code, 0, result.stderr);
    const dir = join(base, "tinystories_audio");
    assert.deepEqual(await listNames(dir, /\.jsonl$/), [
      "tinystories_rendering_audio_video_data_0.jsonl",
    ]);
    const lines = (await readJsonl(
      join(dir, "tinystories_rendering_audio_video_data_0.jsonl"),
    )) as Line[];
    assert.equal(lines.length, 2);
    const samples = await readJsonl(join(ROOT, "src/datasets/samples/tinystories.jsonl"));
    for (const line of lines) {
      await checkStreams(line, 6);
      assert.equal(line.truncated, true);
      assert.ok(line.sentences.length >= 1);
      for (const s of line.sentences) assert.ok(s.end <= 6, `${s.end} ≤ 6`);
      // The kept text is a prefix of the story's continuation, ending at a sentence end.
      const story = String(samples[line.index].text).replace(/\s+/g, " ");
      const continuation = story.slice(story.indexOf(line.prompt_text) + line.prompt_text.length)
        .trim();
      assert.ok(continuation.startsWith(line.spoken_text), line.spoken_text);
      assert.ok(continuation.length > line.spoken_text.length);
      assert.match(line.spoken_text, /[.!?]"?$/);
      assert.ok(!line.prompt.includes(continuation.slice(line.spoken_text.length).trim()));
    }
    // Nothing fits one second: the rows are skipped with a reason, nothing is written.
    const tiny = await audioRender([
      "tinystories",
      ...["--source", "samples", "--num-samples", "2", "--tts", "espeak"],
      ...["--base-dir", join(base, "tiny"), "--max-duration", "1"],
    ]);
    // Nothing produced is not a success (#17): exit 1, the reasons counted.
    assert.equal(tiny.code, 1, tiny.stderr);
    const summary = await stats(join(base, "tiny"), "tinystories");
    assert.deepEqual(summary.skipped_by_reason, { "first sentence too long": 2 });
    assert.deepEqual(await listNames(join(base, "tiny", "tinystories_audio", "video")), []);
  });
});

Deno.test("subtitles: at most two lines that fit the band, nothing lost, balanced parts", () => {
  const band = subtitleBand();
  assert.equal(band.top, BAND_TOP);
  const cases: [string, "en" | "zh"][] = [
    [
      'Her mom smiled and said, "Yes, Lily, we can share the needle and fix your shirt, ' +
      'and then we can go to the park and play on the swings until the sun goes down."',
      "en",
    ],
    ["Short one.", "en"],
    ["Supercalifragilisticexpialidociousnessandsomemoreletterstomakeitwiderthanaline.", "en"],
    [
      "有一天，他们在一棵大树下看到了一个秋千。莉莉想试试那个秋千，她跑到树下，爬上了秋千，荡得很高很高。",
      "zh",
    ],
  ];
  for (const [text, language] of cases) {
    for (const sentence of splitSentences(text, language)) {
      const parts = splitSubtitle(sentence, { language, band });
      const chars = (s: string) => [...s.replace(/\s+/g, "")];
      assert.deepEqual(parts.flatMap((p) => p.lines.flatMap(chars)), chars(sentence));
      let offset = 0;
      for (const part of parts) {
        assert.equal(part.offset, offset);
        offset += part.lines.flatMap(chars).length;
        assert.ok(part.lines.length >= 1 && part.lines.length <= 2, JSON.stringify(part));
        for (const line of part.lines) {
          assert.ok(fontMeasure(line, band.fontSize) <= band.maxWidth, line);
        }
      }
      if (parts.length === 2) {
        const [a, b] = parts.map((p) => p.lines.flatMap(chars).length);
        assert.ok(Math.abs(a - b) <= Math.max(a, b) / 2, `balanced: ${a} / ${b}`);
      }
    }
  }
});

Deno.test("espeak: a prompt too long for the upper area shrinks, then pages, never under the band", async () => {
  await withTempDir(async (base) => {
    const result = await audioRender([
      "openmath2_gsm8k",
      ...["--source", "samples", "--num-samples", "1", "--tts", "espeak", "--base-dir", base],
      ...["--max-duration", "12", "--mode", "inference"],
    ]);
    assert.equal(result.code, 0, result.stderr);
    const [line] = (await readJsonl(
      join(base, "openmath2_gsm8k_audio", "openmath2_gsm8k_inference_audio_video_data_0.jsonl"),
    )) as Line[];
    assert.ok((line.prompt_text as string).length > 400);
    assert.equal(line.pages, 2);
    assert.ok((line.font_size as number) < 28 && (line.font_size as number) >= 18);
    assert.equal(line.prompt, `Math problem: "${line.prompt_text}"`);
    await checkStreams(line, 12);
    const frames = await decodeGrayFrames(line.video_path);
    const gap = { x: 0, y: BAND_TOP - 8, w: WIDTH, h: 8 };
    const upper = { x: 0, y: 0, w: WIDTH, h: BAND_TOP };
    for (const [f, frame] of frames.entries()) {
      assert.equal(inkCount(frame, gap, { threshold: 160 }), 0, `frame ${f}: no ink over the band`);
      assert.ok(inkCount(frame, upper, { threshold: 100 }) > 1000, `frame ${f}: prompt shown`);
    }
    const first = frames[0].subarray(0, BAND_TOP * WIDTH);
    const last = frames[frames.length - 1].subarray(0, BAND_TOP * WIDTH);
    assert.ok(meanDiff(first, last) > 5, "the second prompt page replaces the first");
  });
});

/** Mean absolute difference of two equally long pixel runs. */
function meanDiff(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

/** Mean absolute difference of the band rows of two grey frames. */
function bandDiff(a: Uint8Array, b: Uint8Array): number {
  return meanDiff(a.subarray(BAND_TOP * WIDTH), b.subarray(BAND_TOP * WIDTH));
}

async function withEdge(
  options: EdgeServerOptions,
  fn: (server: ReturnType<typeof startEdgeServer>) => Promise<void>,
): Promise<void> {
  const server = startEdgeServer(options);
  try {
    await fn(server);
  } finally {
    await server.close();
  }
}

Deno.test("edge: subtitles change in the band exactly at their starts; resume reuses all", async () => {
  await withEdge({}, async (server) => {
    await withTempDir(async (base) => {
      const args = [
        "tinystories",
        ...["--source", "samples", "--num-samples", "2", "--base-dir", base],
        ...["--max-duration", "15"],
      ];
      const env = { [EDGE_URL_ENV]: server.url };
      const first = await audioRender(args, env);
      assert.equal(first.code, 0, first.stderr);
      const lines = await manifests(base, "tinystories");
      checkManifests("tinystories", lines, 2);
      for (const line of lines.inference) {
        assert.equal(line.tts, "edge");
        assert.equal(line.voice, "en-US-AriaNeural");
        await checkStreams(line, 15);
        const frames = await decodeGrayFrames(line.video_path);
        assert.equal(frames.length, line.frames);
        const starts = new Set(line.subtitles.map((s) => Math.floor(s.start * FPS + 1e-6)));
        for (const s of line.sentences) {
          assert.ok(starts.has(Math.floor(s.start * FPS + 1e-6)), "every sentence starts a cue");
        }
        assert.ok(line.subtitles.length > line.sentences.length, "long sentences come in parts");
        for (let f = 1; f < frames.length; f++) {
          const diff = bandDiff(frames[f - 1], frames[f]);
          if (starts.has(f)) assert.ok(diff > 5, `frame ${f}: band changes (${diff})`);
          else assert.ok(diff < 2, `frame ${f}: band unchanged (${diff})`);
        }
        for (const [f, frame] of frames.entries()) {
          // Dark band with white text; the prompt in black on white above it.
          const band = { x: 0, y: BAND_TOP, w: WIDTH, h: HEIGHT - BAND_TOP };
          const dark = inkCount(frame, band, { threshold: 128 });
          const light = band.w * band.h - inkCount(frame, band, { threshold: 199 });
          assert.ok(dark > band.w * band.h * 0.7, `frame ${f}: band background is dark`);
          assert.ok(light > 300, `frame ${f}: white subtitle text (${light})`);
          const upper = { x: 0, y: 0, w: WIDTH, h: BAND_TOP };
          const ink = inkCount(frame, upper, { threshold: 100 });
          const white = upper.w * upper.h - inkCount(frame, upper, { threshold: 230 });
          assert.ok(ink > 1000, `frame ${f}: prompt ink above the band (${ink})`);
          assert.ok(white > upper.w * upper.h * 0.7, `frame ${f}: white page`);
        }
      }

      const connections = server.connections;
      const before = await Promise.all(lines.inference.map((l) => Deno.stat(l.video_path)));
      const second = await audioRender(args, env);
      assert.equal(second.code, 0, second.stderr);
      assert.equal(server.connections, connections, "no new TTS connections on resume");
      const after = await Promise.all(lines.inference.map((l) => Deno.stat(l.video_path)));
      after.forEach((stat, i) => assert.equal(stat.mtime?.getTime(), before[i].mtime?.getTime()));
      const summary = await stats(base, "tinystories");
      assert.equal(summary.reused, 2);
      assert.equal(summary.rendered, 0);
      assert.deepEqual(await manifests(base, "tinystories"), lines);
    });
  });
});

Deno.test("edge: a TTS failure fails the sample and leaves no file; all failed exits 1", async () => {
  await withEdge({ throttle: { connections: 1000, mode: "before-audio" } }, async (server) => {
    await withTempDir(async (base) => {
      const result = await audioRender([
        "tinystories",
        ...["--source", "samples", "--num-samples", "2", "--base-dir", base],
        ...["--tts-attempts", "2"],
      ], { [EDGE_URL_ENV]: server.url });
      // Every sample failed: the run's exit code says so (issue 11).
      assert.equal(result.code, 1, result.stderr);
      assert.match(
        result.stderr,
        /videoword: tinystories: every video failed \(2\); first: row 0: /,
      );
      assert.ok(server.connections >= 4, `${server.connections} connections`);
      const summary = await stats(base, "tinystories");
      assert.equal(summary.failed, 2);
      assert.equal(summary.rendered, 0);
      const reasons = Object.keys(summary.failed_by_reason as Record<string, number>);
      assert.ok(reasons.every((r) => r.startsWith("edge TTS failed")), reasons.join());
      assert.deepEqual(await listNames(join(base, "tinystories_audio", "video")), []);
      const lines = await manifests(base, "tinystories");
      assert.equal(lines.inference.length, 0);
      assert.equal(lines.rendering.length, 0);
      assert.match(result.stdout, /0 rendered.*2 failed/);
    });
  });
});
