/**
 * `--style varied` (issue 19): determinism, diversity, contrast read from decoded pixels, and no
 * tofu over every fixture row of every dataset.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { join } from "node:path";
// @ts-types="@types/fontkit"
import { create as openFont, type Font, type FontCollection } from "fontkit";
import { createCanvas } from "@napi-rs/canvas";
import { getDataset, readSamples, type Sample, sampleFiles } from "../src/datasets/mod.ts";
import {
  auditLineBreaks,
  type PageLayout,
  type PlacedText,
  planView,
  revealPlan,
  scaledLayout,
} from "../src/layout/mod.ts";
import { MODEL_FAMILIES, MODEL_FAMILY_NAMES } from "../src/models/mod.ts";
import { type ManifestLine, silentRenderer, type SilentState } from "../src/pipeline/mod.ts";
import { expectedPages } from "../src/score/mod.ts";
import { fileFontMeasure, fileFontSpec, uncoveredCharacter } from "../src/paint/mod.ts";
import { splitSentences } from "../src/text/mod.ts";
import {
  chooseStyle,
  contrastRatio,
  DARK_COLOURS,
  LIGHT_COLOURS,
  LINE_PITCH,
  MIN_CONTRAST,
  parseColour,
  STYLE_DEFAULTS,
  VARIED_INK_INSET,
  worstContrast,
} from "../src/style/mod.ts";
import { fixtureRowFiles } from "./helpers/hub_fixtures.ts";
import { decodeRgbFrame, ROOT, runVideoword, withTempDir } from "./helpers/video.ts";

const FONTS = join(ROOT, "fonts");
const ROWS = join(ROOT, "tests", "fixtures", "rows");

type StyleLine = Record<string, unknown> & { style: Record<string, unknown> };

async function manifest(path: string): Promise<StyleLine[]> {
  return (await Deno.readTextFile(path)).trim().split("\n").map((l) => JSON.parse(l));
}

/** fontkit's own reading of a style's font file (a folder: the union of its subset files). */
const glyphSets = new Map<string, Set<number>>();
function glyphsOf(file: string): Set<number> {
  let set = glyphSets.get(file);
  if (set) return set;
  set = new Set();
  const path = join(FONTS, file);
  const paths = Deno.statSync(path).isDirectory
    ? [...Deno.readDirSync(path)].map((e) => join(path, e.name)).filter((p) => /\.woff2?$/.test(p))
    : [path];
  // The seed's pair: DejaVu Sans Mono's Latin, Droid Sans Fallback's CJK (either file's look).
  if (file === "DejaVuSansMono.ttf") paths.push(join(FONTS, "DroidSansFallbackFull.ttf"));
  if (file === "DroidSansFallbackFull.ttf") paths.push(join(FONTS, "DejaVuSansMono.ttf"));
  for (const p of paths) {
    const opened = openFont(Buffer.from(Deno.readFileSync(p))) as Font | FontCollection;
    const font = "fonts" in opened ? opened.fonts[0] : opened;
    for (const code of font.characterSet) set.add(code);
  }
  glyphSets.set(file, set);
  return set;
}

/** The frame geometry and the one stand-in font the chooser tests pick varied looks with. */
const CHOOSER_GEOMETRY = { height: 360, fontSize: 28, lineHeight: 32, margin: 15 };
const CHOOSER_FONT = { family: "X", file: "x", style: "serif" as const, xHeight: 0.5 };

/** The varied look `chooseStyle` picks for `row` at style seed `seed` (black on white). */
function chooseVaried(
  row: { dataset: string; index: number },
  seed: number,
  language?: "en" | "zh",
): ReturnType<typeof chooseStyle> {
  return chooseStyle(row, {
    settings: { style: "varied", seed },
    geometry: CHOOSER_GEOMETRY,
    colours: { foreground: "#000000", background: "#FFFFFF" },
    seedFont: CHOOSER_FONT,
    eligibleFonts: [CHOOSER_FONT],
    language,
  });
}

Deno.test("style: every palette pair the chooser can return has WCAG contrast >= 4.5 at its worst point", () => {
  for (let index = 0; index < 2000; index++) {
    const style = chooseVaried({ dataset: "gsm8k", index }, 7);
    const worst = worstContrast(style.foreground.hex, {
      kind: style.backgroundKind,
      start: style.background.hex,
      end: style.backgroundEnd?.hex ?? null,
    });
    assert.ok(worst >= MIN_CONTRAST, `row ${index}: ${JSON.stringify(style)} contrast ${worst}`);
    assert.ok(style.fontSize * CHOOSER_FONT.xHeight >= 11, `row ${index}: x-height under 11 px`);
  }
  // The ratio itself: black on white is 21, equal colours 1.
  assert.equal(contrastRatio([0, 0, 0], [255, 255, 255]), 21);
  assert.equal(contrastRatio([9, 9, 9], [9, 9, 9]), 1);
  assert.ok(LIGHT_COLOURS.length >= 8 && DARK_COLOURS.length >= 8);
  assert.equal(STYLE_DEFAULTS.style, "seed");
});

Deno.test("style: 24 varied rows show at least 4 fonts and 4 backgrounds; the style is a function of (seed, dataset, row)", async () => {
  const spec = getDataset("gsm8k");
  const rows = await Array.fromAsync(readSamples(spec, sampleFiles(spec), { count: 24 }));
  const styles = async (seed: number) => {
    const renderer = silentRenderer(spec, { style: { style: "varied", seed } });
    const out: Record<string, unknown>[] = [];
    for (const item of rows) {
      if ("skip" in item) continue;
      const planned = await renderer.plan(item.sample);
      assert.ok(!("skip" in planned), `row ${item.sample.index} skipped`);
      out.push((planned.fields as StyleLine).style);
    }
    return out;
  };
  const a = await styles(0);
  assert.equal(a.length, 24);
  const fonts = new Set(a.map((s) => s.font_family));
  const grounds = new Set(a.map((s) => `${s.background_kind}:${s.background}:${s.background_end}`));
  assert.ok(fonts.size >= 4, `fonts: ${[...fonts]}`);
  assert.ok(grounds.size >= 4, `backgrounds: ${[...grounds]}`);
  assert.ok(new Set(a.map((s) => s.background_kind)).size === 3, "flat, gradient and paper");
  assert.deepEqual(await styles(0), a, "same seed, same styles");
  assert.notDeepEqual(await styles(1), a, "another seed, other styles");
});

Deno.test("style: no tofu: every fixture row of every dataset gets a font with a glyph for each character it shows", async () => {
  let rows = 0;
  const cjkFamilies = new Set<string>();
  const cjkMathFamilies = new Set<string>();
  const latinFamilies = new Map<string, string>();
  for (const [key, files] of fixtureRowFiles()) {
    const spec = getDataset(key);
    const renderer = silentRenderer(spec, { style: { style: "varied", seed: 3 } });
    const paths = [...files, ...sampleFiles(spec)];
    for await (const item of readSamples(spec, paths)) {
      if ("skip" in item) continue;
      // The shard skips these before layout whatever the style.
      if (uncoveredCharacter(item.sample.prompt) ?? uncoveredCharacter(item.sample.response)) {
        continue;
      }
      const planned = await renderer.plan(item.sample);
      if ("skip" in planned) continue;
      const style = (planned.fields as StyleLine).style;
      const glyphs = glyphsOf(style.font_file as string);
      const { plan } = planned.state as SilentState;
      for (const char of plan.promptText + plan.responseText) {
        if (char === "\n" || char === " ") continue;
        assert.ok(
          glyphs.has(char.codePointAt(0)!),
          `${key} row ${item.sample.index}: ${style.font_family} has no '${char}'`,
        );
      }
      if (spec.language === "zh") {
        cjkFamilies.add(style.font_family as string);
        if (spec.kind === "math") cjkMathFamilies.add(style.font_family as string);
      } else {
        // Faces tesseract misreads in Latin text (ZCOOL KuaiLe), or whose Latin is the seed's
        // (Droid Sans Fallback), draw only rows with CJK characters.
        assert.ok(
          !["ZCOOL KuaiLe", "Droid Sans Fallback"].includes(style.font_family as string),
          `${key} row ${item.sample.index}: ${style.font_family} for Latin text`,
        );
        latinFamilies.set(style.font_family as string, style.font_style as string);
      }
      rows++;
    }
  }
  assert.ok(rows > 500, `${rows} rows checked`);
  assert.ok(cjkFamilies.size >= 3, `CJK families used: ${[...cjkFamilies]}`);
  // Chinese math rows hold digits and Latin signs: ZCOOL KuaiLe, whose digits tesseract
  // misreads, draws only Chinese text without them; the other two CJK faces draw math too.
  assert.deepEqual(
    [...cjkMathFamilies].sort(),
    ["Droid Sans Fallback", "WenQuanYi Micro Hei"],
    `CJK families on math rows: ${[...cjkMathFamilies]}`,
  );
  assert.ok(latinFamilies.size >= 8, `Latin families used: ${[...latinFamilies.keys()]}`);
  assert.deepEqual(
    [...new Set(latinFamilies.values())].sort(),
    ["display", "handwritten", "monospace", "sans-serif", "serif"],
  );
});

Deno.test("style: varied renders are byte-identical twice, seed renders keep the seed's look; decoded contrast is >= 4.5 and decoded lines sit as aligned", async () => {
  await withTempDir(async (dir) => {
    const render = async (base: string, style: string) => {
      const result = await runVideoword([
        "render",
        "gsm8k",
        "--source",
        "samples",
        "--base-dir",
        join(dir, base),
        "--num-samples",
        "8",
        "--style",
        style,
        "--style-seed",
        "5",
      ]);
      assert.equal(result.code, 0, result.stderr);
      return await manifest(join(dir, base, "gsm8k", "gsm8k_rendering_video_data_0.jsonl"));
    };
    const a = await render("a", "varied");
    const b = await render("b", "varied");
    for (const [i, line] of a.entries()) {
      const other = b[i];
      assert.deepEqual(other.style, line.style);
      assert.equal(other.fingerprint, line.fingerprint);
      assert.deepEqual(
        await Deno.readFile(other.video_path as string),
        await Deno.readFile(line.video_path as string),
        `row ${line.index} differs between two renders`,
      );
    }
    const seed = await render("s", "seed");
    for (const line of seed) {
      assert.equal(line.style.style, "seed");
      assert.equal(line.style.font_family, "DejaVu Sans Mono");
      assert.equal(line.style.foreground, "#000000");
      assert.equal(line.style.background, "#FFFFFF");
      assert.equal(line.style.background_kind, "flat");
    }
    assert.notEqual(seed[0].fingerprint, a[0].fingerprint, "the style is in the fingerprint");

    const spec = getDataset("gsm8k");
    const renderer = silentRenderer(spec, { style: { style: "varied", seed: 5 } });
    const samples: Sample[] = [];
    for await (const item of readSamples(spec, sampleFiles(spec), { count: 8 })) {
      if ("sample" in item) samples[item.index] = item.sample;
    }
    let centred = 0;
    let ragged = 0;
    for (const line of a) {
      // The manifest's caption names the background the video shows (not the seed's "white").
      assert.ok(
        (line.prompt as string).includes(`on ${line.style.background_name}`),
        `row ${line.index}: '${line.prompt}' vs ${line.style.background_name}`,
      );
      const { width, height } = line as unknown as { width: number; height: number };
      const rgb = await decodeRgbFrame(line.video_path as string, "last", { width, height });
      const at = (
        x: number,
        y: number,
      ) => [...rgb.subarray((y * width + x) * 3, (y * width + x) * 3 + 3)];
      // The background where nothing is drawn: the top-left margin (the gradient's start).
      const patch = [0, 1, 2].map((c) => {
        let sum = 0;
        for (let y = 2; y < 6; y++) for (let x = 2; x < 6; x++) sum += at(x, y)[c];
        return sum / 16;
      });
      const said = parseColour(line.style.background as string);
      const tolerance = line.style.background_kind === "paper" ? 14 : 6;
      patch.forEach((v, c) =>
        assert.ok(
          Math.abs(v - said[c]) <= tolerance,
          `row ${line.index}: background ${patch} vs ${said}`,
        )
      );
      // The text: the decoded pixel farthest in contrast from that background.
      let best = 1;
      const margin = line.style.margin as number;
      for (let y = margin; y < height - margin; y++) {
        for (let x = margin; x < width - margin; x++) {
          best = Math.max(best, contrastRatio(at(x, y), patch));
        }
      }
      // Alignment, from the decoded pixels: each line's ink starts at the margin (left) or
      // leaves as much room on the left as on the right (centre).
      const planned = await renderer.plan(samples[line.index as number]);
      assert.ok(!("skip" in planned));
      const { plan } = planned.state as SilentState;
      const page = plan.pages[plan.frames[plan.frames.length - 1].page];
      for (const y of new Set(drawn(page).map((t) => t.y))) {
        let [first, lastInk] = [Infinity, -Infinity];
        for (let row = y - Math.round(plan.fontSize * 0.8); row < y; row++) {
          for (let x = 0; x < width; x++) {
            if (contrastRatio(at(x, row), patch) < 2) continue;
            [first, lastInk] = [Math.min(first, x), Math.max(lastInk, x)];
          }
        }
        if (first === Infinity) continue; // a line of punctuation only
        const room = [first - margin, width - margin - 1 - lastInk];
        const text = drawn(page).filter((t) => t.y === y).map((t) => t.text).join(" ");
        const what = `row ${line.index} '${text}' (${line.style.align}): room ${room}`;
        // Flush left: the ink starts within the ink inset and a side bearing of the margin.
        if (line.style.align === "left") {
          assert.ok(room[0] <= (VARIED_INK_INSET + 0.25) * plan.fontSize, what);
          if (room[1] > 4 * plan.fontSize) ragged++;
        } else {
          assert.ok(Math.abs(room[0] - room[1]) <= 0.2 * plan.fontSize, what);
          if (room[1] > plan.fontSize) centred++;
        }
      }
      const declared = contrastRatio(parseColour(line.style.foreground as string), said);
      assert.ok(best >= MIN_CONTRAST, `row ${line.index}: decoded contrast ${best.toFixed(2)}`);
      assert.ok(
        best >= declared * 0.85,
        `row ${line.index}: decoded ${best.toFixed(2)} vs declared ${declared.toFixed(2)}`,
      );
    }
    assert.ok(centred >= 2, `${centred} centred lines seen`);
    // `score` re-plans each line, centred or not, from its recorded layout (align, ink inset).
    for (const line of a) {
      const expected = await expectedPages(line as unknown as ManifestLine);
      assert.ok(!("problem" in expected), `row ${line.index}: ${JSON.stringify(expected)}`);
      assert.equal(line.style.align, (line.layout as Record<string, unknown>).align);
    }
    assert.ok(ragged >= 2, `${ragged} short flush-left lines seen`);
  });
});

Deno.test("style: --font-dir adds a user's fonts, recorded by path; a file that is no font is named", async () => {
  await withTempDir(async (dir) => {
    const mine = join(dir, "mine.woff2");
    await Deno.copyFile(join(FONTS, "varied", "patrick-hand-latin-400-normal.woff2"), mine);
    const spec = getDataset("gsm8k");
    const renderer = silentRenderer(spec, { style: { style: "varied", seed: 2, fontDir: dir } });
    const files = new Set<unknown>();
    for await (const item of readSamples(spec, sampleFiles(spec), { count: 24 })) {
      if ("skip" in item) continue;
      const planned = await renderer.plan(item.sample);
      if (!("skip" in planned)) files.add((planned.fields as StyleLine).style.font_file);
    }
    assert.ok(files.has(mine), `user font never chosen: ${[...files]}`);
    await Deno.writeTextFile(join(dir, "broken.ttf"), "not a font");
    assert.throws(
      () => silentRenderer(spec, { style: { style: "varied", seed: 2, fontDir: dir } }),
      /broken\.ttf/,
    );
  });
});

/** The rows the layout tests plan: English math and stories, Chinese math and stories. */
async function layoutRows(perDataset: number) {
  const sets: [string, string][] = [
    ["gsm8k", "gsm8k_head300.jsonl"],
    ["gsm8k", "gsm8k_longest.jsonl"],
    ["belle_school_math", "belle_head60.jsonl"],
    ["tinystories", "tinystories_head60.jsonl"],
    ["tinystories_chinese", "tinystories_chinese_synthetic.jsonl"],
  ];
  const out: { key: string; sample: Sample }[] = [];
  for (const [key, file] of sets) {
    const spec = getDataset(key);
    for await (const item of readSamples(spec, [join(ROWS, file)], { count: perDataset })) {
      if ("sample" in item) out.push({ key, sample: item.sample });
    }
  }
  return out;
}

/** Every drawn string of a page with its font: prompt lines, then answer units. */
function drawn(page: PageLayout): PlacedText[] {
  return [...page.prompt, ...page.units];
}

Deno.test("style: varied margins, line pitch and alignment never overflow a page, over many rows x every preset (ink measured)", async () => {
  const rows = await layoutRows(40);
  const aligns = new Set<unknown>();
  const margins = new Set<unknown>();
  const pitches = new Set<unknown>();
  let pages = 0;
  const overflows: string[] = [];
  const ctx = createCanvas(8, 8).getContext("2d");
  for (const name of MODEL_FAMILY_NAMES) {
    const family = MODEL_FAMILIES[name];
    for (const key of new Set(rows.map((r) => r.key))) {
      const spec = getDataset(key);
      const renderer = silentRenderer(spec, {
        style: { style: "varied", seed: 11 },
        layout: {
          ...scaledLayout(family.height),
          width: family.width,
          height: family.height,
          frames: family.frames,
          pace: family.pace,
        },
      });
      for (const { sample } of rows.filter((r) => r.key === key)) {
        const planned = await renderer.plan(sample);
        if ("skip" in planned) continue;
        const style = (planned.fields as StyleLine).style;
        const { plan, look } = planned.state as SilentState;
        aligns.add(style.align);
        margins.add(style.margin);
        pitches.add(style.line_height);
        const where = `${name} ${key} row ${sample.index} (${style.font_family}, ${style.align})`;
        ctx.font = fileFontSpec(look!.fontFile, plan.fontSize);
        const measure = fileFontMeasure(look!.fontFile);
        const [left, right] = [plan.margin, plan.width - plan.margin];
        const [top, bottom] = [plan.margin, plan.height - plan.margin];
        for (const page of plan.pages) {
          pages++;
          for (const item of drawn(page)) {
            // The advance the plan reserved, and the ink the font really draws (1 px of
            // antialiasing either way).
            assert.ok(item.x >= left, `${where}: '${item.text}' starts at ${item.x} < ${left}`);
            assert.ok(
              item.x + measure(item.text, plan.fontSize) <= right + 0.5,
              `${where}: '${item.text}' ends past ${right}`,
            );
            const ink = ctx.measureText(item.text);
            const over = {
              left: left - (item.x - ink.actualBoundingBoxLeft),
              right: item.x + ink.actualBoundingBoxRight - right,
              top: top - (item.y - ink.actualBoundingBoxAscent),
              bottom: item.y + ink.actualBoundingBoxDescent - bottom,
            };
            for (const [side, px] of Object.entries(over)) {
              // 1 px of antialiasing either way.
              if (px > 1) {
                overflows.push(`${where}: '${item.text}' ink ${px.toFixed(1)} px past ${side}`);
              }
            }
          }
        }
      }
    }
  }
  assert.deepEqual(overflows.slice(0, 100), [], `${overflows.length} overflows`);
  assert.ok(pages > 600, `${pages} pages checked`);
  assert.deepEqual([...aligns].sort(), ["center", "left"]);
  assert.ok(
    margins.size >= 8 && pitches.size >= 8,
    `margins ${[...margins]} pitches ${[...pitches]}`,
  );
});

Deno.test("style: centred lines keep the flush-left plan's UAX #14 line breaks, pages and reveal frames; only x moves", async () => {
  const rows = await layoutRows(25);
  let centred = 0;
  for (const { key, sample } of rows) {
    const spec = getDataset(key);
    const prompt = splitSentences(sample.prompt, spec.language);
    const response = splitSentences(sample.response, spec.language);
    for (const file of ["varied/lora-latin-400-normal.woff2", "varied/wqy-microhei.ttc"]) {
      const measure = fileFontMeasure(file);
      const options = { kind: spec.kind, language: spec.language, measure, margin: 24 };
      const left = revealPlan(prompt, response, options);
      const centre = revealPlan(prompt, response, { ...options, align: "center" });
      if ("skip" in left || "skip" in centre) {
        assert.deepEqual(centre, left, `${key} row ${sample.index}: same skip`);
        continue;
      }
      // The reveal: the same frames show the same units of the same pages.
      assert.deepEqual(centre.frames, left.frames);
      assert.equal(centre.revealEndFrame, left.revealEndFrame);
      assert.deepEqual(centre.unitsPerFrame, left.unitsPerFrame);
      const area = centre.width - 2 * centre.margin;
      for (const [p, page] of centre.pages.entries()) {
        const before: PageLayout = left.pages[p];
        assert.equal(page.separatorY, before.separatorY);
        assert.deepEqual(
          drawn(page).map((t) => [t.text, t.y]),
          drawn(before).map((t) => [t.text, t.y]),
        );
        // Each line moves as a whole, by half the room it leaves.
        const lines = new Map<number, { shift: Set<number>; start: number; end: number }>();
        for (const [i, item] of drawn(page).entries()) {
          const line = lines.get(item.y) ??
            { shift: new Set<number>(), start: Infinity, end: -Infinity };
          line.shift.add(item.x - drawn(before)[i].x);
          line.start = Math.min(line.start, item.x);
          line.end = Math.max(line.end, item.x + measure(item.text, centre.fontSize));
          lines.set(item.y, line);
        }
        for (const line of lines.values()) {
          assert.equal(line.shift.size, 1, `${key} row ${sample.index}: a line moved apart`);
          const slack = area - (line.end - line.start);
          const leftRoom: number = line.start - centre.margin;
          assert.ok(Math.abs(leftRoom - slack / 2) <= 1.5, `centred: ${leftRoom} of ${slack}`);
          if (slack > 4) centred++;
        }
      }
      // UAX #14: the displayed lines break where the audit allows.
      const view = planView(centre, { measure });
      const lines = view.pages.flatMap((p) => [...p.prompt_lines, ...p.answer_lines]);
      const audit = auditLineBreaks(
        [...prompt, ...response],
        lines.map((l) => l.text),
        { maxWidth: area, fontSize: centre.fontSize, measure },
      );
      assert.deepEqual(audit.violations, [], `${key} row ${sample.index}`);
    }
  }
  assert.ok(centred > 200, `${centred} centred lines checked`);
});

Deno.test("style: varied line pitch stays in its range, looser for Chinese; a third of rows are centred", () => {
  for (const language of ["en", "zh"] as const) {
    let centred = 0;
    for (let index = 0; index < 600; index++) {
      const style = chooseVaried({ dataset: "d", index }, 1, language);
      const pitch = style.lineHeight / style.fontSize;
      const range = LINE_PITCH[language];
      // Whole pixels: half a pixel of rounding either way.
      assert.ok(pitch >= range.min - 0.5 / style.fontSize, `${language} row ${index}: ${pitch}`);
      assert.ok(pitch <= range.max + 0.5 / style.fontSize, `${language} row ${index}: ${pitch}`);
      assert.ok(
        style.margin >= CHOOSER_GEOMETRY.margin && style.margin <= 2 * CHOOSER_GEOMETRY.margin,
      );
      if (style.align === "center") centred++;
    }
    assert.ok(centred > 150 && centred < 250, `${language}: ${centred} of 600 centred`);
  }
  assert.ok(LINE_PITCH.zh.min >= 1.2);
});
