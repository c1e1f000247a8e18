/** `--duration` fitting with the test Piper voice on the real onnxruntime. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { type CliResult, runVideoword, withTempDir } from "./helpers/video.ts";
import { type Narration, parseWav, synthesize } from "../src/tts/mod.ts";
import {
  fitNarration,
  type FitOptions,
  fixedFrameCount,
  paddedAudio,
} from "../src/pipeline/_fixed_duration.ts";

const VOICE = join(import.meta.dirname!, "fixtures", "piper", "en_US-test-medium.onnx");
const STORY = [
  "Once upon a time, there was a little girl named Lily.",
  "She loved to play outside in the sunshine.",
  "One day, she saw a big red ball in the park.",
  "She ran to it and kicked it very high.",
  "The ball flew over the trees and far away.",
];

function options(cacheDir: string, seconds: number, overflow: FitOptions["overflow"]): FitOptions {
  return {
    seconds,
    minSpeed: 0.85,
    maxSpeed: 1.25,
    overflow,
    speak: (sentences: string[], speed: number): Promise<Narration> =>
      synthesize(sentences, {
        engine: "piper",
        language: "en",
        voice: VOICE,
        rate: Math.round((speed - 1) * 100),
        cacheDir,
      }),
  };
}

Deno.test("--duration: the speed is raised just enough for the speech to fit", async () => {
  await withTempDir(async (cacheDir) => {
    const o = options(cacheDir, 0, "cut");
    const natural = await o.speak(STORY.slice(0, 3), 1);
    o.seconds = Math.round(natural.duration * 0.9 * 100) / 100;
    const fitted = await fitNarration(STORY.slice(0, 3), o);
    assert.ok(!("skip" in fitted));
    assert.equal(fitted.kept, 3);
    assert.ok(fitted.speed > 1 && fitted.speed <= 1.25, `speed ${fitted.speed}`);
    assert.ok(fitted.narration.duration <= o.seconds);
    // Fills the time: one percent slower would run past it.
    const slower = await o.speak(STORY.slice(0, 3), fitted.speed - 0.01);
    assert.ok(slower.duration > o.seconds, `${slower.duration} > ${o.seconds}`);
  });
});

Deno.test("--duration: short speech is slowed to the range's end and the rest is silence", async () => {
  await withTempDir(async (cacheDir) => {
    const o = options(cacheDir, 30, "skip");
    const fitted = await fitNarration(["Tom has 5 apples."], o);
    assert.ok(!("skip" in fitted));
    assert.equal(fitted.speed, 0.85);
    const natural = await o.speak(["Tom has 5 apples."], 1);
    assert.ok(fitted.narration.duration > natural.duration);
    const path = await paddedAudio(fitted.narration, 30, { ffmpegBin: "ffmpeg" });
    const padded = parseWav(await Deno.readFile(path));
    const speech = parseWav(await Deno.readFile(fitted.narration.audioPath));
    assert.equal(padded.data.length, 30 * 22050 * 2);
    assert.deepEqual(padded.data.subarray(0, speech.data.length), speech.data);
    assert.ok(padded.data.subarray(speech.data.length).every((b) => b === 0));
  });
});

Deno.test("--duration: a story too long at 1.25× is cut at a sentence end", async () => {
  await withTempDir(async (cacheDir) => {
    const o = options(cacheDir, 6, "cut");
    const fitted = await fitNarration(STORY, o);
    assert.ok(!("skip" in fitted));
    assert.ok(fitted.kept >= 1 && fitted.kept < STORY.length, `kept ${fitted.kept}`);
    assert.deepEqual(fitted.narration.sentences.map((s) => s.text), STORY.slice(0, fitted.kept));
    assert.ok(fitted.narration.duration <= 6);
    // One more sentence would not fit even at the fastest speed.
    const more = await o.speak(STORY.slice(0, fitted.kept + 1), 1.25);
    assert.ok(more.duration > 6);
  });
});

Deno.test("--duration: math that does not fit is skipped with its reason; so is a too-long first sentence", async () => {
  await withTempDir(async (cacheDir) => {
    const math = ["Natalia sold 48/2 = 24 clips in May.", "Natalia sold 48+24 = 72 clips."];
    const skipped = await fitNarration(math, options(cacheDir, 3, "skip"));
    assert.ok("skip" in skipped);
    assert.match(
      skipped.skip,
      /^answer does not fit --duration: \d+\.\d\d s at 1\.25× speed > 3 s$/,
    );
    const story = await fitNarration(STORY, options(cacheDir, 1, "cut"));
    assert.ok("skip" in story);
    assert.match(
      story.skip,
      /^first sentence does not fit --duration: \d+\.\d\d s at 1\.25× speed > 1 s$/,
    );
  });
});

Deno.test("fixed frame counts follow fps and the k·step+1 rules", () => {
  assert.equal(fixedFrameCount(10, 19.3), 193);
  assert.equal(fixedFrameCount(10, 24), 240);
  assert.equal(fixedFrameCount(10, 24, 4), 241);
  assert.equal(fixedFrameCount(10, 24, 8), 241);
  assert.equal(fixedFrameCount(5, 16, 4), 81);
  assert.equal((fixedFrameCount(7, 25, 8) - 1) % 8, 0);
});

function audioRender(args: string[]): Promise<CliResult> {
  return runVideoword(["audio-render", ...args]);
}

async function probe(path: string): Promise<{ type: string; duration: number; frames: number }[]> {
  const out = await new Deno.Command("ffprobe", {
    args: [
      ...["-v", "error", "-count_frames", "-show_entries"],
      ...["stream=codec_type,duration,nb_read_frames", "-of", "json", path],
    ],
    stdout: "piped",
  }).output();
  return JSON.parse(new TextDecoder().decode(out.stdout)).streams.map((
    s: { codec_type: string; duration: string; nb_read_frames: string },
  ) => ({ type: s.codec_type, duration: Number(s.duration), frames: Number(s.nb_read_frames) }));
}

Deno.test("audio-render --duration: exact length and frames, equal streams, rate recorded, cut and skip counted", async () => {
  await withTempDir(async (dir) => {
    const common = ["--source", "samples", "--num-samples", "3", "--tts", "piper"];
    const story = await audioRender([
      "tinystories",
      ...common,
      ...["--voice", VOICE, "--duration", "10", "--fps", "19.3", "--base-dir", dir],
      "--no-progress",
    ]);
    assert.equal(story.code, 0, story.stderr);
    const lines = (await Deno.readTextFile(
      join(dir, "tinystories_audio", "tinystories_rendering_audio_video_data_0.jsonl"),
    )).trim().split("\n").map((l) => JSON.parse(l));
    assert.ok(lines.length >= 2);
    assert.ok(lines.some((l) => l.truncated === true), "a long story is cut at a sentence end");
    for (const line of lines) {
      assert.equal(line.frames, 193);
      assert.equal(line.duration, 10);
      assert.ok(line.rate >= 0.85 && line.rate <= 1.25, `rate ${line.rate}`);
      const speechEnd = line.sentences.at(-1).end;
      assert.ok(speechEnd <= 10);
      // The last subtitle stays after the speech, to the end.
      assert.equal(line.subtitles.at(-1).end, 10);
      const streams = await probe(line.video_path);
      const video = streams.find((s) => s.type === "video")!;
      const audio = streams.find((s) => s.type === "audio")!;
      assert.equal(video.frames, 193);
      assert.ok(Math.abs(video.duration - 10) < 1e-3, `video ${video.duration}`);
      assert.ok(Math.abs(audio.duration - 10) < 0.03, `audio ${audio.duration}`);
    }
    // A preset's frame rule: Wan at 16 fps, 4n+1 frames: 5 s → 81 frames.
    const wan = await audioRender([
      "tinystories",
      ...["--source", "samples", "--num-samples", "1", "--tts", "piper"],
      ...["--voice", VOICE, "--preset", "wan", "--duration", "5", "--base-dir", join(dir, "wan")],
      "--no-progress",
    ]);
    assert.equal(wan.code, 0, wan.stderr);
    const [wanLine] = (await Deno.readTextFile(
      join(dir, "wan", "tinystories_audio", "tinystories_rendering_audio_video_data_0.jsonl"),
    )).trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(wanLine.frames, 81);
    assert.equal(wanLine.duration, 5.063);
    const wanStreams = await probe(wanLine.video_path);
    assert.equal(wanStreams.find((s) => s.type === "video")!.frames, 81);
    assert.ok(Math.abs(wanStreams.find((s) => s.type === "audio")!.duration - 81 / 16) < 0.03);

    const math = await audioRender([
      "gsm8k",
      ...common,
      ...["--voice", VOICE, "--duration", "4", "--base-dir", join(dir, "math")],
      "--no-progress",
    ]);
    // Every row skipped: nothing produced, exit 1 (#17), the reasons still counted.
    assert.equal(math.code, 1, math.stderr);
    const stats = JSON.parse(
      await Deno.readTextFile(join(dir, "math", "gsm8k_audio", "gsm8k_stats_0.json")),
    );
    assert.equal(stats.skipped_by_reason["answer does not fit --duration"], 3);
  });
});
