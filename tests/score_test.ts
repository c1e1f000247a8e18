/**
 * `videoword score` on real renders read by the real OCR engine (tesseract): clean videos read
 * back with low CER, degraded copies read worse in order of severity, swapped videos are
 * flagged, a resized "generated" copy scores through --videos, the report opens in Chromium.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  charErrors,
  exactLines,
  extractAnswer,
  normalizeText,
  reportHtml,
  scoreDataset,
  scoreDefaults,
  type ScoreOptions,
  splitPngStream,
} from "../src/score/mod.ts";
import { runProcess } from "../src/process/mod.ts";
import { readJsonl, runVideoword, withTempDir } from "./helpers/video.ts";

const options = (extra: Partial<ScoreOptions> = {}): ScoreOptions => ({
  ...scoreDefaults(),
  progress: "none",
  ...extra,
});

async function render(base: string, dataset: string, rows: number, flags: string[] = []) {
  await renderSamples("render", base, { dataset, rows, flags });
  return join(base, dataset);
}

/** `videoword COMMAND DATASET` on `rows` embedded samples into `base`, asserting it succeeds. */
async function renderSamples(
  command: "render" | "audio-render",
  base: string,
  options: { dataset: string; rows: number; flags: string[] },
): Promise<void> {
  const run = await runVideoword([
    ...[command, options.dataset, "--source", "samples", "--num-samples", String(options.rows)],
    ...["--base-dir", base, "--no-progress", ...options.flags],
  ]);
  assert.equal(run.code, 0, run.stderr);
}

/** Re-encode every video of `from` through ffmpeg filter `filter` into `to` (lossless x264). */
async function degrade(from: string, to: string, filter: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (!entry.name.endsWith(".mp4")) continue;
    const result = await runProcess("ffmpeg", [
      "-v",
      "error",
      "-i",
      join(from, entry.name),
      "-vf",
      filter,
      "-c:v",
      "libx264",
      "-qp",
      "0",
      join(to, entry.name),
    ]);
    assert.ok(result.success, result.stderr);
  }
}

Deno.test("score: text normalisation, CER, exact lines and answers", () => {
  assert.equal(normalizeText("  a \n b\tc "), "a b c");
  // Full-width forms fold, spaces tesseract puts between ideographs and digits vanish.
  assert.equal(normalizeText("答案 : 小明每分钟走3 . 3米。", "zh"), "答案:小明每分钟走3.3米。");
  assert.equal(normalizeText("答案：小明每分钟走3.3米。", "zh"), "答案:小明每分钟走3.3米。");
  assert.deepEqual(charErrors("So the answer is: 72.", "So the answer is: 12."), {
    edits: 1,
    length: 20,
  });
  // English: a space next to punctuation or a symbol is the monospace cell's gap, not a word
  // break (tesseract reads "80,000" as "80, 000"); a space between words still counts.
  assert.equal(normalizeText("80, 000+50 , 000 = $130,000"), "80,000+50,000=$130,000");
  assert.deepEqual(charErrors("Janet sells 16 - 3 - 4 = 9", "Janet sells 16-3 -4=2=9"), {
    edits: 2,
    length: 20,
  });
  assert.deepEqual(charErrors("the house", "thehouse"), { edits: 1, length: 9 });
  assert.deepEqual(charErrors("速度＝路程÷时间", "速度=路程+时间", "zh"), { edits: 1, length: 8 });
  assert.equal(exactLines(["a b", "c d", "e"], ["c d", "", "a  b", "x"]), 2);
  assert.equal(extractAnswer("48+24 = 72 clips. So the answer is: 72."), "72");
  assert.equal(extractAnswer("blah #### 1,250"), "1250");
  assert.equal(extractAnswer("所以答案是 3.5 米"), "3.5");
  assert.equal(extractAnswer("答案：小明每分钟走3 . 3米。"), "3.3");
  assert.equal(extractAnswer("no answer here"), null);
});

Deno.test("score: splitPngStream splits ffmpeg's image2pipe output", async () => {
  const result = await runProcess("ffmpeg", [
    "-v",
    "error",
    "-f",
    "lavfi",
    "-i",
    "testsrc=size=32x24:rate=5:duration=1",
    "-frames:v",
    "3",
    "-f",
    "image2pipe",
    "-c:v",
    "png",
    "pipe:1",
  ]);
  assert.ok(result.success, result.stderr);
  const pngs = splitPngStream(result.stdout);
  assert.equal(pngs.length, 3);
  assert.equal(pngs.reduce((n, p) => n + p.length, 0), result.stdout.length);
  assert.throws(() => splitPngStream(result.stdout.subarray(0, result.stdout.length - 5)));
});

Deno.test("score: own videos read back (en, zh, both modes), resume, report, swaps flagged, generated 832x480", async () => {
  await withTempDir(async (base) => {
    const gsm8k = await render(base, "gsm8k", 3);
    const belle = await render(base, "belle_school_math", 2);

    // The CLI on the base folder, both modes: one JSON object (the total and each run), per-video
    // lines under score/, a report Chromium can load.
    const report = join(base, "report.html");
    const cli = await runVideoword(["score", base, "--mode", "all", "--json", "--report", report]);
    assert.equal(cli.code, 0, cli.stderr);
    const total = JSON.parse(cli.stdout);
    const runs = total.runs as { dataset_dir: string; mode: string; samples: number }[];
    assert.deepEqual(runs.map((r) => [r.dataset_dir, r.mode, r.samples]), [
      [belle, "rendering", 2],
      [belle, "inference", 2],
      [gsm8k, "rendering", 3],
      [gsm8k, "inference", 3],
    ]);
    assert.equal(total.samples, 10);
    assert.deepEqual(total.flagged, []);
    const summary = total.runs[2];
    assert.ok(summary.cer <= 0.01, `English CER ${summary.cer}`);
    assert.equal(summary.answer_accuracy, 1);
    // The inference lines show the same videos: their scores are the rendering ones, not re-read.
    assert.equal(total.runs[3].cer, summary.cer);
    assert.equal(total.runs[3].reused, 3);
    // Chinese: read per character.
    assert.ok(total.runs[0].cer <= 0.06, `Chinese CER ${total.runs[0].cer}`);
    const lines = await readJsonl(join(gsm8k, "score", "gsm8k_rendering_video_data_0_score.jsonl"));
    assert.deepEqual(lines.map((l) => l.key), ["gsm8k_000000", "gsm8k_000001", "gsm8k_000002"]);
    const inference = await readJsonl(
      join(gsm8k, "score", "gsm8k_inference_video_data_0_score.jsonl"),
    );
    assert.deepEqual(inference.map((l) => l.mode), ["inference", "inference", "inference"]);
    // Row 2 turns a page: both pages are read, each at its own last full frame.
    const pages = lines[2].pages as { frame: number; read: string }[];
    assert.equal(pages.length, 2);
    assert.ok(pages[0].frame < pages[1].frame);
    assert.match(pages[1].read, /So the answer is: 5\./);

    // Resumable: a second run keeps every line whose video is unchanged.
    const again = await scoreDataset(gsm8k, options());
    assert.equal(again.summary.reused, 3);
    assert.equal(again.summary.cer, summary.cer);

    // The report in a real headless Chromium: an overview row per dataset and mode and their
    // total, then per dataset and mode a section with its summary table, its histogram and its
    // worst videos' frames as data: URIs.
    const dom = await runProcess("chromium", [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--dump-dom",
      `file://${report}`,
    ], { timeoutMs: 120_000 });
    assert.ok(dom.success, dom.stderr);
    const html = new TextDecoder().decode(dom.stdout);
    assert.equal([...html.matchAll(/<tr class="summary-row">/g)].length, 4);
    assert.match(
      html,
      new RegExp(`<a href="#run-3">${gsm8k}</a></td><td>rendering</td><td>own</td><td>3</td>`),
    );
    assert.match(html, /<tr class="total-row"><td><b>Total \(4 runs\)<\/b><\/td>.*?<td>10<\/td>/);
    const sections = html.split('<section class="run"').slice(1);
    assert.deepEqual(
      sections.map((s) => s.match(/data-dataset="([^"]+)" data-mode="([^"]+)"/)!.slice(1)),
      [
        ["belle_school_math", "rendering"],
        ["belle_school_math", "inference"],
        ["gsm8k", "rendering"],
        ["gsm8k", "inference"],
      ],
    );
    sections.forEach((section, i) => {
      const table = section.match(/<table class="run-summary">(.*?)<\/table>/)?.[1] ?? "";
      assert.match(table, new RegExp(`Videos scored</th><td>${runs[i].samples}`));
      assert.match(table, /CER on pages<\/th><td>\d+\.\d\d% \(\d+ read\)/);
      assert.match(section, /<svg class="hist"/);
      const cards = section.match(/<section class="card worst-video"/g) ?? [];
      const images = section.match(/<img [^>]*src="data:image\/png;base64,[A-Za-z0-9+/=]+"/g) ?? [];
      assert.equal(cards.length, runs[i].samples);
      assert.equal(images.length, runs[i].samples);
    });

    // A "generated" copy as a Wan model makes: 832x480, 81 frames, named by key.
    const generated = join(base, "generated");
    await degrade(join(gsm8k, "video"), generated, "scale=832:480,fps=8.1");
    const gen = await scoreDataset(gsm8k, options({ videos: generated }));
    assert.equal(gen.summary.source, "generated");
    assert.equal(gen.summary.samples, 3);
    assert.ok(gen.summary.cer! <= 0.01, `generated CER ${gen.summary.cer}`);
    assert.deepEqual(gen.summary.flagged, []);
    assert.ok(gen.scores.every((s) => s.pages.length === 1));
    assert.equal(gen.summary.answer_accuracy, 1);
    // A wrong folder: one line saying what to pass, exit 1.
    const wrong = await runVideoword(["score", join(base, "nope")]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /nope is not a folder: pass a dataset folder that render wrote/);
    // Missing generated files are problems, flagged, never a crash.
    await Deno.remove(join(generated, "gsm8k_000001.mp4"));
    const missing = await scoreDataset(gsm8k, options({ videos: generated }));
    assert.deepEqual(missing.summary.flagged, ["gsm8k_000001"]);
    assert.match(missing.summary.problems[0].problem, /video not found/);
    // Two videos swapped: both flagged, the third not.
    const video = join(gsm8k, "video");
    const swap = join(base, "swap.mp4");
    await Deno.rename(join(video, "gsm8k_000000.mp4"), swap);
    await Deno.rename(join(video, "gsm8k_000001.mp4"), join(video, "gsm8k_000000.mp4"));
    await Deno.rename(swap, join(video, "gsm8k_000001.mp4"));
    const swapped = await scoreDataset(gsm8k, options());
    assert.deepEqual(swapped.summary.flagged.sort(), ["gsm8k_000000", "gsm8k_000001"]);
    assert.equal(swapped.summary.reused, 1);
  });
});

Deno.test("score: each degradation reads worse, monotone in severity", async () => {
  await withTempDir(async (base) => {
    // Small text (16 px) so that the degradations bite, as a video VAE's do.
    const small = ["--font-size", "16"];
    const clean = await render(join(base, "clean"), "gsm8k", 3, small);
    const qp40 = await render(join(base, "qp40"), "gsm8k", 3, [...small, "--qp", "40"]);
    const qp48 = await render(join(base, "qp48"), "gsm8k", 3, [...small, "--qp", "48"]);
    const cer = async (dir: string, videos: string | null = null) =>
      (await scoreDataset(dir, options({ videos }))).summary.cer!;
    const video = join(clean, "video");
    const copies: Record<string, string> = {
      copy: "null",
      half: "scale=iw/2:ih/2,scale=640:360",
      quarter: "scale=iw/4:ih/4,scale=640:360",
      blur2: "gblur=sigma=2",
      blur3: "gblur=sigma=3",
    };
    const read: Record<string, number> = {};
    for (const [name, filter] of Object.entries(copies)) {
      await degrade(video, join(base, name), filter);
      read[name] = await cer(clean, join(base, name));
    }
    read.own = await cer(clean);
    read.qp40 = await cer(qp40);
    read.qp48 = await cer(qp48);
    const table = JSON.stringify(read);
    assert.ok(read.own <= 0.01 && read.copy <= 0.01, table);
    assert.ok(read.copy < read.half && read.half < read.quarter, table);
    assert.ok(read.copy < read.blur2 && read.blur2 < read.blur3, table);
    assert.ok(read.own <= read.qp40 && read.qp40 < read.qp48, table);
  });
});

/** Narrated videos (`audio-render`, espeak-ng) of `dataset` in `BASE/DATASET_audio`. */
async function renderNarrated(base: string, dataset: string, rows: number, flags: string[] = []) {
  await renderSamples("audio-render", base, {
    dataset,
    rows,
    flags: ["--tts", "espeak", ...flags],
  });
  return join(base, `${dataset}_audio`);
}

Deno.test("score: narrated videos read cue by cue (en, zh, math), swaps flagged, generated copy", async () => {
  await withTempDir(async (base) => {
    // The stories' prompts in `--style varied` looks (their own fonts, colours, sizes).
    const stories = await renderNarrated(base, "tinystories", 2, ["--style", "varied"]);
    const math = await renderNarrated(base, "gsm8k", 2);
    const chinese = await renderNarrated(base, "tinystories_chinese", 2);

    const en = await scoreDataset(stories, options());
    assert.equal(en.summary.samples, 2);
    assert.deepEqual(en.summary.problems, []);
    assert.ok(en.summary.cer! <= 0.01, `narrated English CER ${en.summary.cer}`);
    assert.deepEqual(en.summary.flagged, []);
    const manifest = await readJsonl(
      join(stories, "tinystories_rendering_audio_video_data_0.jsonl"),
    );
    for (const [i, score] of en.scores.entries()) {
      const line = manifest[i] as {
        subtitles: { text: string; start: number; end: number }[];
        fps: number;
      };
      // The prompt page, then one read per subtitle cue, each inside its cue's time span.
      assert.equal(score.pages[0].part, "prompt");
      assert.match(score.pages[0].read, /^One day|^Once upon/);
      const cues = score.pages.filter((p) => p.part === "subtitle");
      assert.equal(cues.length, line.subtitles.length);
      cues.forEach((page, c) => {
        const cue = line.subtitles[c];
        assert.ok(page.frame >= cue.start * line.fps && page.frame < cue.end * line.fps);
        assert.equal(page.expected.join(" "), cue.text);
      });
    }

    // The report's table for a narrated run gives the CER of prompt pages and of subtitle cues.
    const html = reportHtml([{ ...en, worst: [] }], new Map());
    for (const [part, name] of [["prompt", "prompt pages"], ["subtitle", "subtitle cues"]]) {
      const reads = en.scores.flatMap((s) => s.pages).filter((p) => p.part === part).length;
      assert.match(
        html,
        new RegExp(`<th scope="row">CER on ${name}</th><td>\\d+\\.\\d\\d% \\(${reads} read\\)`),
      );
    }

    // Math: the answer is read from the subtitles that say it.
    const gsm = await scoreDataset(math, options());
    assert.ok(gsm.summary.cer! <= 0.01, `narrated gsm8k CER ${gsm.summary.cer}`);
    assert.equal(gsm.summary.answer_accuracy, 1);

    // Chinese, per character.
    const zh = await scoreDataset(chinese, options());
    assert.equal(zh.summary.samples, 2);
    assert.ok(zh.summary.cer! <= 0.06, `narrated Chinese CER ${zh.summary.cer}`);
    assert.deepEqual(zh.summary.flagged, []);

    // A "generated" 832x480 copy: the final frames' prompt and band against the last page and cue.
    const generated = join(base, "generated");
    await degrade(join(stories, "video"), generated, "scale=832:480");
    const gen = await scoreDataset(stories, options({ videos: generated }));
    assert.equal(gen.summary.samples, 2);
    assert.ok(gen.summary.cer! <= 0.01, `generated narrated CER ${gen.summary.cer}`);
    assert.ok(gen.scores.every((s) => s.pages.map((p) => p.part).join() === "prompt,subtitle"));

    // Two videos swapped: both flagged.
    const video = join(stories, "video");
    const swap = join(base, "swap.mp4");
    await Deno.rename(join(video, "tinystories_000000.mp4"), swap);
    await Deno.rename(join(video, "tinystories_000001.mp4"), join(video, "tinystories_000000.mp4"));
    await Deno.rename(swap, join(video, "tinystories_000001.mp4"));
    const swapped = await scoreDataset(stories, options());
    assert.deepEqual(swapped.summary.flagged.sort(), ["tinystories_000000", "tinystories_000001"]);
    assert.ok(swapped.scores.every((s) => s.cer! > 0.5), JSON.stringify(swapped.summary));
  });
});
