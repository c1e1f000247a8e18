/**
 * `--style varied` (issue 19): determinism, diversity, contrast read from decoded pixels, and no
 * tofu over every fixture row of every dataset.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { join } from "node:path";
// @ts-types="@types/fontkit"
import { create as openFont, type Font, type FontCollection } from "fontkit";
import { getDataset, readSamples, sampleFiles } from "../src/datasets/mod.ts";
import { silentRenderer, type SilentState } from "../src/pipeline/mod.ts";
import { uncoveredCharacter } from "../src/paint/mod.ts";
import {
  chooseStyle,
  contrastRatio,
  DARK_COLOURS,
  LIGHT_COLOURS,
  MIN_CONTRAST,
  parseColour,
  STYLE_DEFAULTS,
  worstContrast,
} from "../src/style/mod.ts";
import { fixtureRowFiles } from "./helpers/hub_fixtures.ts";
import { decodeRgbFrame, ROOT, runVideoword, withTempDir } from "./helpers/video.ts";

const FONTS = join(ROOT, "fonts");

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
  if (file === "DejaVuSansMono.ttf") paths.push(join(FONTS, "DroidSansFallbackFull.ttf"));
  for (const p of paths) {
    const opened = openFont(Buffer.from(Deno.readFileSync(p))) as Font | FontCollection;
    const font = "fonts" in opened ? opened.fonts[0] : opened;
    for (const code of font.characterSet) set.add(code);
  }
  glyphSets.set(file, set);
  return set;
}

Deno.test("style: every palette pair the chooser can return has WCAG contrast >= 4.5 at its worst point", () => {
  const geometry = { height: 360, fontSize: 28, lineHeight: 32, margin: 15 };
  const font = { family: "X", file: "x", style: "serif" as const, xHeight: 0.5 };
  for (let index = 0; index < 2000; index++) {
    const style = chooseStyle({ dataset: "gsm8k", index }, {
      settings: { style: "varied", seed: 7 },
      geometry,
      colours: { foreground: "#000000", background: "#FFFFFF" },
      seedFont: font,
      eligibleFonts: [font],
    });
    const worst = worstContrast(style.foreground.hex, {
      kind: style.backgroundKind,
      start: style.background.hex,
      end: style.backgroundEnd?.hex ?? null,
    });
    assert.ok(worst >= MIN_CONTRAST, `row ${index}: ${JSON.stringify(style)} contrast ${worst}`);
    assert.ok(style.fontSize * font.xHeight >= 11, `row ${index}: x-height under 11 px`);
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
      if (spec.language === "zh") cjkFamilies.add(style.font_family as string);
      rows++;
    }
  }
  assert.ok(rows > 500, `${rows} rows checked`);
  assert.ok(cjkFamilies.size >= 3, `CJK families used: ${[...cjkFamilies]}`);
});

Deno.test("style: varied renders are byte-identical twice, seed renders keep the seed's look, and decoded contrast is >= 4.5", async () => {
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
      const declared = contrastRatio(parseColour(line.style.foreground as string), said);
      assert.ok(best >= MIN_CONTRAST, `row ${line.index}: decoded contrast ${best.toFixed(2)}`);
      assert.ok(
        best >= declared * 0.85,
        `row ${line.index}: decoded ${best.toFixed(2)} vs declared ${declared.toFixed(2)}`,
      );
    }
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
