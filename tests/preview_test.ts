import assert from "node:assert/strict";
import { join } from "node:path";
import { createCanvas, loadImage } from "@napi-rs/canvas";
import { getDataset, readSamples, type Sample, sampleFiles } from "../src/datasets/mod.ts";
import { type RevealPlan, revealPlan } from "../src/layout/mod.ts";
import { fontMeasure, paintFrames, paintNarrated } from "../src/paint/mod.ts";
import { narratedRenderer, type NarratedState, silentRenderer } from "../src/pipeline/mod.ts";
import { animationArgs, previewSample, sheetCellOrigin } from "../src/preview/mod.ts";
import { splitSentences } from "../src/text/mod.ts";
import { probeStreams, walkFiles, withTempDir } from "./helpers/video.ts";

async function sample(key: string, index: number): Promise<Sample> {
  const spec = getDataset(key);
  for await (const item of readSamples(spec, sampleFiles(spec), { start: index, count: 1 })) {
    if ("sample" in item) return item.sample;
  }
  throw new Error(`no sample ${key} ${index}`);
}

/** Grey value of each pixel of a `width`×`height` box of a PNG at (x, y). */
async function pngGrey(path: string, box: { x: number; y: number; w: number; h: number }) {
  const image = await loadImage(await Deno.readFile(path));
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext("2d");
  ctx.drawImage(image, 0, 0);
  const rgba = ctx.getImageData(box.x, box.y, box.w, box.h).data;
  const grey = new Uint8Array(box.w * box.h);
  for (let i = 0; i < grey.length; i++) grey[i] = rgba[i * 4 + 1];
  return { grey, width: image.width, height: image.height };
}

function options(key: string) {
  const spec = getDataset(key);
  return {
    spec,
    renderer: silentRenderer(spec),
    fps: 19.3,
    paint: {},
    baseDir: "/data/out",
    templates: { inference: spec.templates.inference, rendering: spec.templates.rendering },
    ffmpegBin: "ffmpeg",
  };
}

Deno.test("silent preview: plan as lines, contact sheet of the key frames, half-size GIF, manifest lines", async () => {
  await withTempDir(async (dir) => {
    const out = join(dir, "preview");
    const row = await sample("gsm8k", 2);
    const result = await previewSample(row, options("gsm8k"), { outDir: out });
    assert.ok(!("skip" in result.plan) && result.plan.kind === "silent");
    const plan = result.plan;

    // The same plan a render makes (same measure), shown as lines with each unit's first frame.
    const spec = getDataset("gsm8k");
    const reveal = revealPlan(
      splitSentences(row.prompt, "en"),
      splitSentences(row.response, "en"),
      { kind: "math", measure: fontMeasure },
    ) as RevealPlan;
    assert.equal(plan.unit_count, reveal.unitCount);
    assert.equal(plan.frames, 193);
    const units = plan.pages.flatMap((p) => p.answer_lines.flatMap((l) => l.units));
    assert.equal(units.length, reveal.unitCount);
    units.forEach((u, k) => assert.equal(u.first_frame, 1 + plan.page_turn_frames[1] + k));
    assert.equal(plan.reveal_end_frame, units.at(-1)!.first_frame);
    // Betty's answer keeps "100 / 2 = $50." on one line (UAX #14: no break before "/").
    const lines = plan.pages.flatMap((p) => p.answer_lines.map((l) => l.text));
    assert.ok(lines.includes("100 / 2 = $50."), lines.join(" | "));
    for (const line of plan.pages.flatMap((p) => p.answer_lines)) {
      assert.equal(line.x, line.units[0].x);
      assert.equal(line.units.map((u) => u.text).join(" "), line.text);
    }

    // Key frames: start, the page turn, reveal end, last — in that order on the sheet.
    assert.deepEqual(result.keyFrames.map((k) => k.frame), [0, 10, plan.reveal_end_frame, 192]);
    assert.deepEqual(result.files.sort(), [
      join(out, "animation.gif"),
      join(out, "contact_sheet.png"),
    ]);
    const painted = [...(function* () {
      for (const f of paintFrames(reveal).frames) yield f.slice();
    })()];
    for (const [i, key] of result.keyFrames.entries()) {
      const at = sheetCellOrigin(i, { width: 640, height: 360, pixelFormat: "gray" });
      const cell = await pngGrey(join(out, "contact_sheet.png"), { ...at, w: 640, h: 360 });
      assert.deepEqual(cell.grey, painted[key.frame], `sheet cell ${i} is frame ${key.frame}`);
    }

    const [gif] = await probeStreams(join(out, "animation.gif"));
    assert.equal(gif.codec_name, "gif");
    assert.equal(gif.width, 320);
    assert.equal(gif.height, 180);
    // 193 frames at 19.3 fps shown at 12.5 fps: 10 s.
    assert.ok(Math.abs(Number(gif.nb_read_frames) - 125) <= 1, String(gif.nb_read_frames));

    // Manifest lines as the render would write them.
    assert.equal(result.manifest.rendering?.video_path, "/data/out/gsm8k/video/gsm8k_000002.mp4");
    assert.equal(result.manifest.rendering?.response_text, reveal.responseText);
    assert.ok(result.manifest.inference?.prompt.includes(reveal.promptText.slice(0, 30)));
    assert.equal(spec.key, "gsm8k");

    // Nothing is written anywhere but the output folder.
    assert.deepEqual((await walkFiles(dir)).sort(), [
      "preview/animation.gif",
      "preview/contact_sheet.png",
    ]);
  });
});

Deno.test("preview of a sample the render would skip: the reason, no files", async () => {
  await withTempDir(async (dir) => {
    const long = Array.from({ length: 40 }, () => "One two three four five six.").join(" ");
    const result = await previewSample(
      { index: 7, prompt: "A question?", response: long },
      options("gsm8k"),
      { outDir: join(dir, "preview") },
    );
    assert.deepEqual(result.plan, { skip: "answer too long" });
    assert.deepEqual(result.files, []);
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  });
});

Deno.test("planOnly plans without painting or writing", async () => {
  await withTempDir(async (dir) => {
    const result = await previewSample(await sample("belle_school_math", 0), {
      ...options("belle_school_math"),
    }, { outDir: join(dir, "preview"), planOnly: true });
    assert.ok(!("skip" in result.plan));
    assert.deepEqual(result.files, []);
    assert.deepEqual([...Deno.readDirSync(dir)], []);
    // Plain JSON: survives a round trip unchanged.
    assert.deepEqual(JSON.parse(JSON.stringify(result.plan)), result.plan);
  });
});

Deno.test("narrated preview (espeak): one sheet frame per subtitle screen, with its time", async () => {
  await withTempDir(async (dir) => {
    const spec = getDataset("tinystories");
    const renderer = narratedRenderer(spec, {
      tts: { engine: "espeak", cacheDir: join(dir, "cache") },
      maxDuration: 12,
    });
    const out = join(dir, "preview");
    const result = await previewSample(await sample("tinystories", 0), {
      ...options("tinystories"),
      renderer,
      fps: 24,
    }, { outDir: out });
    assert.ok(!("skip" in result.plan) && result.plan.kind === "narrated");
    const plan = result.plan;
    assert.ok(plan.subtitles.length >= 2);
    const planned = await renderer.plan(await sample("tinystories", 0));
    assert.ok(!("skip" in planned));
    const cues = (planned.state as NarratedState).picture.cues;
    assert.deepEqual(result.keyFrames.map((k) => k.frame), cues.map((c) => c.frame));
    for (const key of result.keyFrames) {
      assert.match(
        key.label,
        new RegExp(`^frame ${key.frame} · ${(key.frame / 24).toFixed(2)} s$`),
      );
    }
    for (const s of plan.subtitles) assert.ok(s.start < s.end && s.first_frame < plan.frames);
    const painted: Uint8Array[] = [];
    for (const f of paintNarrated((planned.state as NarratedState).picture).frames) {
      painted.push(f.slice());
    }
    const last = result.keyFrames.length - 1;
    const at = sheetCellOrigin(last, { width: 640, height: 360, pixelFormat: "gray" });
    const cell = await pngGrey(join(out, "contact_sheet.png"), { ...at, w: 640, h: 360 });
    assert.deepEqual(cell.grey, painted[result.keyFrames[last].frame]);
    const [gif] = await probeStreams(join(out, "animation.gif"));
    assert.equal(gif.width, 320);
  });
});

Deno.test("colour previews go through a 16-colour palette; grey ones straight to a grey GIF", async () => {
  const grey = animationArgs({ width: 640, height: 360, pixelFormat: "gray", fps: 19.3 });
  assert.ok(grey.includes("fps=12.5,scale=320:180:flags=area"));
  assert.ok(!grey.join(" ").includes("palettegen"));
  await withTempDir(async (dir) => {
    const out = join(dir, "preview");
    const result = await previewSample(await sample("tinystories", 1), {
      ...options("tinystories"),
      paint: { background: "#FFF0E0", foreground: "#102040" },
    }, { outDir: out });
    assert.ok(!("skip" in result.plan));
    const [gif] = await probeStreams(join(out, "animation.gif"));
    assert.equal(gif.codec_name, "gif");
    assert.equal(gif.width, 320);
    const first = sheetCellOrigin(0, { width: 640, height: 360, pixelFormat: "rgb24" });
    // The sheet shows the coloured frame: its corner is the background colour.
    const image = await loadImage(await Deno.readFile(join(out, "contact_sheet.png")));
    const canvas = createCanvas(image.width, image.height);
    const ctx = canvas.getContext("2d");
    ctx.drawImage(image, 0, 0);
    assert.deepEqual([...ctx.getImageData(first.x, first.y, 1, 1).data], [0xFF, 0xF0, 0xE0, 255]);
  });
});
