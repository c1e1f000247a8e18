/**
 * Model presets: each preset against its model's rules (stated here from the models' sources,
 * independently of the preset table), flag precedence, the yield and complete endings of GSM8K
 * under `--preset wan`, and real renders (silent and narrated) probed with ffprobe.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { getDataset } from "../src/datasets/mod.ts";
import { revealPlan } from "../src/layout/mod.ts";
import { fontMeasure } from "../src/paint/mod.ts";
import { splitSentences } from "../src/text/mod.ts";
import { narratedSettings, silentSettings } from "../tasks/preset_settings.ts";
import { PRESET_NAMES, PRESETS } from "../src/options/mod.ts";
import {
  decodeGrayFrames,
  probeStreams,
  probeVideo,
  readJsonl,
  runVideoword,
} from "./helpers/video.ts";

function maxDifference(a: Uint8Array, b: Uint8Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/**
 * What each model takes, from its own source: frame counts `step·n + 1`, sides multiples of
 * `side`, native rate; some fix the size or the length too.
 */
const MODEL_RULES: Record<
  string,
  { step: number; side: number; fps: number; size?: [number, number]; maxFrames?: number }
> = {
  // Wan2.1 generate.py ("4n+1", 81), wan/configs/shared_config.py (16 fps), 832*480.
  wan: { step: 4, side: 16, fps: 16, size: [832, 480] },
  // HunyuanVideo hyvideo/config.py ("4n+1"), sample_video.py (24 fps); VAE sides /16.
  hunyuan: { step: 4, side: 16, fps: 24 },
  // LTX-Video-Trainer src/ltxv_trainer/datasets.py (% 32, % 8 == 1), trainer.py (24 fps).
  ltx: { step: 8, side: 32, fps: 24 },
  // CogVideo finetune/schemas/args.py (8N+1, 5B exactly 480×720), cli_demo.py (49 at 8 fps).
  cogvideox: { step: 8, side: 16, fps: 8, size: [720, 480], maxFrames: 49 },
  // Open-Sora configs/diffusion/train/stage1.py (buckets 1..129 step 4), fps_max 24, AE /16.
  opensora: { step: 4, side: 16, fps: 24, maxFrames: 129 },
};

Deno.test("every preset follows its model's frame, size and rate rules", () => {
  assert.deepEqual([...PRESET_NAMES].sort(), [...Object.keys(MODEL_RULES), "seed"].sort());
  for (const [name, rule] of Object.entries(MODEL_RULES)) {
    const p = PRESETS[name as keyof typeof PRESETS];
    assert.equal((p.frames - 1) % rule.step, 0, `${name}: ${p.frames} frames`);
    assert.equal(p.width % rule.side, 0, `${name}: width ${p.width}`);
    assert.equal(p.height % rule.side, 0, `${name}: height ${p.height}`);
    assert.equal(p.fps, rule.fps, `${name}: fps`);
    assert.equal(p.narratedFps, rule.fps, `${name}: narrated fps`);
    assert.equal(p.frameStep, rule.step, `${name}: narrated frame rule`);
    assert.equal(p.pace, "fit", `${name}: a short clip needs the fitted reveal`);
    if (rule.size) assert.deepEqual([p.width, p.height], rule.size, `${name}: size`);
    if (rule.maxFrames) assert.ok(p.frames <= rule.maxFrames, `${name}: frames`);
  }
  // seed is today's defaults.
  assert.deepEqual(silentSettings({}), {
    preset: "seed",
    width: 640,
    height: 360,
    frames: 193,
    fps: 19.3,
    pace: "one",
    holdFrames: undefined,
    maxUnitsPerFrame: 4,
    fontSize: 28,
    lineHeight: 32,
    margin: 15,
  });
});

Deno.test("flags override preset values; sizes scale with the height", () => {
  const wan = silentSettings({ preset: "wan" });
  assert.deepEqual(
    [wan.width, wan.height, wan.frames, wan.fps, wan.pace],
    [832, 480, 81, 16, "fit"],
  );
  assert.deepEqual([wan.fontSize, wan.lineHeight, wan.margin], [37, 43, 20]);
  const mixed = silentSettings({ preset: "wan", frames: 97, pace: "one", fontSize: 30 });
  assert.deepEqual([mixed.frames, mixed.pace, mixed.fontSize, mixed.lineHeight], [
    97,
    "one",
    30,
    34,
  ]);
  assert.equal(mixed.width, 832);
  assert.equal(silentSettings({ height: 720 }).fontSize, 56);
  assert.equal(silentSettings({ preset: "wan" }, 24).fontSize, 24, "settings file font size");
  assert.throws(() => silentSettings({ pace: "fit", frames: 49, holdFrames: 49 }), /less than/);
  assert.throws(() => silentSettings({ holdFrames: 5 }), /--pace fit/);
  assert.equal(silentSettings({ preset: "ltx", holdFrames: 5 }).holdFrames, 5);
  const narrated = narratedSettings({ preset: "ltx", fps: 30 });
  assert.deepEqual([narrated.width, narrated.height, narrated.fps, narrated.frameStep], [
    768,
    448,
    30,
    8,
  ]);
});

Deno.test("an unknown preset or x264 preset, or an x264 name given to --preset, is one line", async () => {
  const cases: [string, string, RegExp][] = [
    ["--preset", "sora", /unknown preset 'sora'/],
    ["--preset", "veryfast", /--x264-preset/],
    ["--x264-preset", "fastest", /Allowed choices are ultrafast/],
  ];
  for (const [flag, name, hint] of cases) {
    const result = await runVideoword(["render", "gsm8k", flag, name]);
    assert.notEqual(result.code, 0);
    assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
    assert.match(result.stderr, hint);
  }
});

Deno.test("--preset wan: at least 99% of GSM8K renders, every video ending on its whole answer", () => {
  const spec = getDataset("gsm8k");
  const video = silentSettings({ preset: "wan" });
  const text = Deno.readTextFileSync(join(import.meta.dirname!, "fixtures/rows/gsm8k_train.jsonl"));
  const rows = text.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
  assert.equal(rows.length, 7473);
  let rendered = 0;
  for (const row of rows) {
    const cleaned = spec.clean(row);
    if (!cleaned.ok) continue;
    const plan = revealPlan(
      splitSentences(cleaned.prompt, "en"),
      splitSentences(cleaned.response, "en"),
      { ...video, kind: "math", language: "en", measure: fontMeasure },
    );
    if ("skip" in plan) continue;
    rendered++;
    assert.equal(plan.truncated, false);
    assert.equal(plan.frames.length, 81);
    const last = plan.frames[80];
    const lastPage = plan.pages.length - 1;
    assert.deepEqual(last, { page: lastPage, units: plan.pages[lastPage].units.length });
    // Every answer character is placed (an over-wide run may be placed in two pieces).
    const placed = plan.pages.flatMap((page) => page.units.map((u) => u.text)).join("");
    assert.equal(placed, plan.responseText.replace(/\s+/g, ""), "every answer unit is placed");
    assert.ok(plan.revealEndFrame <= 81 - 8 - 1, `row ${cleaned}: ends at ${plan.revealEndFrame}`);
    assert.ok(plan.unitsPerFrame.max - plan.unitsPerFrame.min <= 1);
    assert.ok(plan.unitsPerFrame.max <= 4);
  }
  assert.ok(rendered / rows.length >= 0.99, `rendered ${rendered} of ${rows.length}`);
});

Deno.test({
  name:
    "each preset renders videos of its model's shape; the answer is whole from reveal_end_frame",
  sanitizeResources: false,
  fn: async (t) => {
    const base = await Deno.makeTempDir({ prefix: "vw-presets-" });
    try {
      for (const name of PRESET_NAMES) {
        await t.step(name, async () => {
          const p = PRESETS[name];
          const out = join(base, name);
          const result = await runVideoword([
            "render",
            "gsm8k",
            ...["--source", "samples", "--num-samples", "1", "--start-idx", "2"],
            ...["--preset", name, "--base-dir", out, "--no-progress", "--mode", "rendering"],
          ]);
          assert.equal(result.code, 0, result.stderr);
          const [line] = await readJsonl(join(out, "gsm8k", "gsm8k_rendering_video_data_2.jsonl"));
          const path = String(line.video_path);
          const probe = await probeVideo(path);
          assert.deepEqual([probe.width, probe.height, probe.nb_frames], [
            p.width,
            p.height,
            p.frames,
          ]);
          const [num, den] = probe.r_frame_rate.split("/").map(Number);
          assert.ok(Math.abs(num / (den || 1) - p.fps) < 1e-6, probe.r_frame_rate);
          assert.equal(line.pace, p.pace);
          const end = Number(line.reveal_end_frame);
          const frames = await decodeGrayFrames(path, { width: p.width, height: p.height });
          // The encoder may still refine a frame by a level or two; a missing word differs by ~255.
          const last = frames[frames.length - 1];
          assert.ok(maxDifference(frames[end], last) <= 16, "whole answer from reveal_end_frame");
          assert.ok(maxDifference(frames[end - 1], last) > 128, "not whole before it");
        });
      }
      for (const name of ["wan", "ltx"] as const) {
        await t.step(
          `narrated ${name}: ${PRESETS[name].frameStep}n+1 frames, audio as long`,
          async () => {
            const out = join(base, `${name}_audio`);
            const result = await runVideoword([
              "audio-render",
              "tinystories",
              ...["--source", "samples", "--num-samples", "1", "--tts", "espeak"],
              ...["--preset", name, "--base-dir", out, "--no-progress", "--mode", "rendering"],
            ]);
            assert.equal(result.code, 0, result.stderr);
            const dir = join(out, "tinystories_audio");
            const [line] = await readJsonl(
              join(dir, "tinystories_rendering_audio_video_data_0.jsonl"),
            );
            const p = PRESETS[name];
            const streams = await probeStreams(String(line.video_path));
            const video = streams.find((s) => s.codec_type === "video")!;
            const audio = streams.find((s) => s.codec_type === "audio")!;
            const frames = Number(video.nb_read_frames);
            assert.equal(frames, line.frames);
            assert.equal((frames - 1) % p.frameStep, 0, `${frames} frames`);
            assert.deepEqual([video.width, video.height], [p.width, p.height]);
            assert.ok(Math.abs(Number(video.duration) - frames / p.narratedFps) < 1e-3);
            // AAC works in 1024-sample blocks: the padded audio ends within one frame of the video.
            assert.ok(
              Math.abs(Number(audio.duration) - Number(video.duration)) <= 1 / p.narratedFps,
              `audio ${audio.duration} s, video ${video.duration} s`,
            );
            assert.ok(Math.abs(Number(line.duration) - frames / p.narratedFps) < 1e-3);
          },
        );
      }
    } finally {
      await Deno.remove(base, { recursive: true });
    }
  },
});
