/**
 * `audio-render --style varied` (issue 19): the prompt area takes the sample's style (font,
 * colours, background), the subtitle band keeps its own; read from painted and decoded pixels.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { scaledSubtitleBand } from "../src/layout/mod.ts";
import { getDataset } from "../src/datasets/mod.ts";
import {
  fileFontMeasure,
  fontCatalog,
  type NarratedPicture,
  paintNarrated,
  SEED_FONT_FILE,
} from "../src/paint/mod.ts";
import { narratedRenderer, type NarratedState } from "../src/pipeline/mod.ts";
import { audioRenderSettings, resolveOptions } from "../src/options/mod.ts";
import { resolve } from "node:path";
import { contrastRatio, MIN_CONTRAST, parseColour } from "../src/style/mod.ts";
import { decodeRgbFrame, readJsonl, runVideoword, withTempDir } from "./helpers/video.ts";

const WIDTH = 640;
const HEIGHT = 360;
const BAND = scaledSubtitleBand(WIDTH, HEIGHT);

type Line = Record<string, unknown> & { style: Record<string, unknown> };

function pixel(rgb: Uint8Array, x: number, y: number): number[] {
  const i = (y * WIDTH + x) * 3;
  return [rgb[i], rgb[i + 1], rgb[i + 2]];
}

/** The mean colour of a small square (the background where nothing is drawn). */
function patch(rgb: Uint8Array, x0: number, y0: number): number[] {
  const sum = [0, 0, 0];
  for (let y = y0; y < y0 + 4; y++) {
    for (let x = x0; x < x0 + 4; x++) pixel(rgb, x, y).forEach((v, c) => sum[c] += v);
  }
  return sum.map((v) => v / 16);
}

async function audioRender(base: string, style: string): Promise<Line[]> {
  const result = await runVideoword([
    "audio-render",
    "gsm8k",
    ...["--source", "samples", "--num-samples", "4", "--tts", "espeak", "--no-progress"],
    ...["--base-dir", base, "--style", style, "--style-seed", "5"],
  ]);
  assert.equal(result.code, 0, result.stderr);
  return await readJsonl(
    join(base, "gsm8k_audio", "gsm8k_rendering_audio_video_data_0.jsonl"),
  ) as Line[];
}

Deno.test("narrated style: varied prompt areas show their record's colours (decoded), the band is the seed's, two renders are byte-identical", async () => {
  await withTempDir(async (dir) => {
    const a = await audioRender(join(dir, "a"), "varied");
    const b = await audioRender(join(dir, "b"), "varied");
    const seed = await audioRender(join(dir, "s"), "seed");
    assert.equal(a.length, 4);
    assert.equal(seed.length, 4);
    const seedKeys = Object.keys(seed[0]).sort();
    const styleKeys = Object.keys(seed[0].style).sort();
    for (const [i, line] of a.entries()) {
      // Every line of the manifest kind has the same keys, whatever the style.
      assert.deepEqual(Object.keys(line).sort(), seedKeys);
      assert.deepEqual(Object.keys(line.style).sort(), styleKeys);
      assert.equal(line.style.style, "varied");
      assert.equal(seed[i].style.style, "seed");
      assert.equal(seed[i].style.background, "#FFFFFF");
      assert.deepEqual(b[i].style, line.style);
      assert.equal(b[i].fingerprint, line.fingerprint);
      assert.notEqual(seed[i].fingerprint, line.fingerprint, "the style is in the fingerprint");
      assert.deepEqual(
        await Deno.readFile(b[i].video_path as string),
        await Deno.readFile(line.video_path as string),
        `row ${line.index}: two renders differ`,
      );
    }
    const fonts = new Set(a.map((l) => l.style.font_family));
    assert.ok(fonts.size >= 2, `fonts: ${[...fonts]}`);

    for (const [i, line] of a.entries()) {
      const rgb = await decodeRgbFrame(line.video_path as string, 0);
      const seedRgb = await decodeRgbFrame(seed[i].video_path as string, 0);
      const ground = patch(rgb, 2, 2);
      const said = parseColour(line.style.background as string);
      const tolerance = line.style.background_kind === "paper" ? 14 : 6;
      ground.forEach((v, c) =>
        assert.ok(
          Math.abs(v - said[c]) <= tolerance,
          `row ${line.index}: prompt background ${ground} vs the record's ${said}`,
        )
      );
      // The text: its contrast with the background (the farthest pixel), and its colour (the
      // nearest pixel to the record's, chroma being subsampled around thin strokes).
      const margin = line.style.margin as number;
      const fg = parseColour(line.style.foreground as string);
      let best = 1;
      let nearest = Infinity;
      for (let y = margin; y < BAND.top - margin; y++) {
        for (let x = margin; x < WIDTH - margin; x++) {
          const p = pixel(rgb, x, y);
          best = Math.max(best, contrastRatio(p, ground));
          nearest = Math.min(nearest, Math.hypot(p[0] - fg[0], p[1] - fg[1], p[2] - fg[2]));
        }
      }
      const declared = contrastRatio(fg, said);
      assert.ok(best >= MIN_CONTRAST, `row ${line.index}: decoded contrast ${best.toFixed(2)}`);
      assert.ok(best >= declared * 0.85, `row ${line.index}: ${best} vs declared ${declared}`);
      assert.ok(nearest <= 24, `row ${line.index}: no pixel within ${nearest} of the text colour`);
      // The band: the seed's grey with the same white subtitle (one macroblock row below its top
      // edge, whose prediction may lean on the prompt area's colours).
      let diff = 0;
      let count = 0;
      for (let y = BAND.top + 16; y < HEIGHT; y++) {
        for (let x = 0; x < WIDTH; x++) {
          const p = pixel(rgb, x, y);
          const q = pixel(seedRgb, x, y);
          for (let c = 0; c < 3; c++) diff += Math.abs(p[c] - q[c]);
          count += 3;
        }
      }
      assert.ok(
        diff / count < 1,
        `row ${line.index}: band differs from the seed's by ${diff / count}`,
      );
      assert.ok(
        Math.abs(patch(rgb, 2, BAND.top + 20)[0] - 102) <= 3,
        `row ${line.index}: band grey ${patch(rgb, 2, BAND.top + 20)}`,
      );
    }
  });
});

Deno.test("narrated style: the painter draws the band byte for byte as the seed's, and the prompt area in the style", () => {
  const lines = [{ text: "Tom has 3 apples.", x: 20, y: 50 }];
  const seed: NarratedPicture = {
    width: WIDTH,
    height: HEIGHT,
    margin: 15,
    promptFontSize: 28,
    band: BAND,
    pages: [{ frame: 0, lines }],
    cues: [{ frame: 0, lines: ["He eats one."] }, { frame: 2, lines: ["Two are left."] }],
    frames: 3,
  };
  const varied: NarratedPicture = {
    ...seed,
    style: {
      foreground: "#1B2A4A",
      background: "#FFF5D6",
      look: {
        fontFile: "varied/lora-latin-400-normal.woff2",
        backgroundKind: "flat",
        backgroundEnd: null,
        textureSeed: 0,
        textureAmplitude: 8,
      },
    },
  };
  const seedFrames = paintNarrated(seed);
  const variedFrames = paintNarrated(varied);
  assert.equal(seedFrames.pixelFormat, "gray");
  assert.equal(variedFrames.pixelFormat, "rgb24");
  // Frames are one buffer updated in place: compare each as it comes.
  const s = seedFrames.frames;
  const v = variedFrames.frames;
  for (let f = 0; f < 3; f++) {
    const g = s.next().value as Uint8Array;
    const rgb = v.next().value as Uint8Array;
    for (let y = BAND.top; y < HEIGHT; y++) {
      for (let x = 0; x < WIDTH; x++) {
        const level = g[y * WIDTH + x];
        assert.deepEqual(pixel(rgb, x, y), [level, level, level], `frame ${f} band (${x}, ${y})`);
      }
    }
    assert.deepEqual(pixel(rgb, 3, 3), [0xff, 0xf5, 0xd6], "the prompt area's background");
    let ink = 0;
    for (let y = 15; y < BAND.top - 15; y++) {
      for (let x = 15; x < WIDTH - 15; x++) {
        const p = pixel(rgb, x, y);
        if (p[0] === 0x1b && p[1] === 0x2a && p[2] === 0x4a) ink++;
      }
    }
    assert.ok(ink > 100, `frame ${f}: ${ink} pixels of the text colour`);
  }
  assert.equal(s.next().done, true);
});

Deno.test("narrated style: a long prompt in any varied font fits the prompt area whole, never under the seed's smallest x-height", async () => {
  await withTempDir(async (dir) => {
    const spec = getDataset("gsm8k");
    // 747 characters: more than one page holds at the narrated sizes in most fonts.
    const prompt = Array.from(
      { length: 9 },
      (_, i) =>
        `Shop ${i + 1} sells ${3 * i + 4} red apples and ${
          2 * i + 5
        } green pears every single morning of the week.`,
    ).join(" ") + " How many fruits are sold in all?";
    const renderer = narratedRenderer(spec, {
      tts: { engine: "espeak", cacheDir: join(dir, "cache") },
      style: { style: "varied", seed: 0 },
    });
    const catalog = fontCatalog();
    const seedXHeight = catalog.find((f) => f.file === SEED_FONT_FILE)!.xHeight;
    const families = new Set<string>();
    for (let index = 0; index < 24; index++) {
      const sample = { index, prompt, response: "They sell many fruits. The answer is 10." };
      const planned = await renderer.plan(sample);
      assert.ok(!("skip" in planned), `row ${index}: skipped`);
      const { picture } = planned.state as NarratedState;
      const style = (planned.fields as Line).style;
      const font = catalog.find((f) => f.file === style.font_file)!;
      families.add(font.family);
      assert.equal(style.font_size, picture.promptFontSize, "the record says the size shown");
      assert.equal(style.margin, picture.margin);
      // 18 px is the narrated prompt's smallest size at 360 lines.
      assert.ok(
        picture.promptFontSize * font.xHeight >= 18 * seedXHeight - 1e-9,
        `${font.family} at ${picture.promptFontSize} px: x-height under the seed's smallest`,
      );
      const measure = fileFontMeasure(font.file);
      const shown: string[] = [];
      for (const page of picture.pages) {
        for (const line of page.lines) {
          assert.ok(line.x >= picture.margin, `${font.family}: '${line.text}' left of the margin`);
          const right = line.x + measure(line.text, picture.promptFontSize);
          assert.ok(
            right <= WIDTH - picture.margin + 0.5,
            `${font.family}: '${line.text}' too wide`,
          );
          assert.ok(line.y <= BAND.top - picture.margin, `${font.family}: line under the area`);
          shown.push(line.text);
        }
      }
      assert.equal(shown.join("").replace(/\s/g, ""), prompt.replace(/\s/g, ""));
    }
    // Handlee's x-height (0.33 em) is the smallest: its rows stop shrinking soonest.
    assert.ok(families.has("Handlee"), `${[...families]}`);
  });
});

Deno.test("narrated style: audio-render resolves --style, --style-seed and --font-dir (flags and videoword.jsonc's render keys) into its settings", () => {
  const style = (layers: Parameters<typeof resolveOptions<"audio-render">>[1]) =>
    audioRenderSettings("gsm8k", resolveOptions("audio-render", layers).values).narrated.style;
  assert.deepEqual(style({}), { style: "seed", seed: 0, fontDir: undefined });
  assert.deepEqual(
    style({ flags: { style: "varied", styleSeed: 7, fontDir: "my-fonts" } }),
    { style: "varied", seed: 7, fontDir: resolve("my-fonts") },
  );
  assert.deepEqual(
    style({ file: { render: { style: "varied", style_seed: 9 } } }),
    { style: "varied", seed: 9, fontDir: undefined },
  );
});
