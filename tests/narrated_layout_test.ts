/**
 * The pure parts of a narrated video's plan, moved out of `pipeline/_narrated.ts`: prompt pages
 * (layout), subtitle part starts (tts timing) and the cached decoded duration. No espeak-ng, no
 * ffmpeg.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { promptPages, revealPlan, subtitleBand } from "../src/layout/mod.ts";
import { fontMeasure } from "../src/paint/mod.ts";
import { partStarts } from "../src/tts/mod.ts";
import { cacheEntry, readCached, writeCached } from "../src/tts/_cache.ts";
import { withTempDir } from "./helpers/video.ts";

const band = subtitleBand({ width: 640, height: 360 });
const base = {
  width: 640,
  bottom: band.top,
  margin: 15,
  fontSize: 28,
  minFontSize: 18,
  language: "en" as const,
  measure: fontMeasure,
};

const SENTENCE = "Natalia sold clips to 48 of her friends in April, and then she sold half as " +
  "many clips in May.";

function pagesOf(result: ReturnType<typeof promptPages>) {
  if ("skip" in result) throw new Error(`unexpected skip: ${result.skip}`);
  return result;
}

/** Every line inside the frame's text area and above the band; pitch from the font. */
function assertFits(
  result: { pages: { text: string; x: number; y: number }[][]; fontSize: number },
) {
  const pitch = Math.round(result.fontSize * 32 / 28);
  const baseline = Math.round(result.fontSize * 0.9);
  for (const page of result.pages) {
    assert.ok(page.length * pitch <= base.bottom - 2 * base.margin, "page fits above the band");
    page.forEach((line, row) => {
      assert.equal(line.x, base.margin);
      assert.equal(line.y, base.margin + row * pitch + baseline);
      assert.ok(line.x + fontMeasure(line.text, result.fontSize) <= base.width - base.margin + 0.5);
    });
  }
}

Deno.test("promptPages: a short prompt is one page in the given font, placed as revealPlan places it", () => {
  const result = pagesOf(promptPages([SENTENCE], base));
  assert.equal(result.fontSize, 28);
  assert.equal(result.pages.length, 1);
  assertFits(result);
  // Same wrapping and line placement as the silent layout's first page.
  const plan = revealPlan([SENTENCE], ["72"], { ...base, height: 360, lineHeight: 32 });
  if ("skip" in plan) throw new Error(plan.skip);
  assert.deepEqual(result.pages[0], plan.pages[0].prompt);
  const words = result.pages.flat().map((l) => l.text).join(" ").split(/\s+/);
  assert.deepEqual(words, SENTENCE.split(/\s+/));
});

Deno.test("promptPages: a longer prompt shrinks the font to stay on one page", () => {
  const prompt = Array.from({ length: 5 }, () => SENTENCE);
  const result = pagesOf(promptPages(prompt, base));
  assert.equal(result.pages.length, 1);
  assert.ok(result.fontSize < 28 && result.fontSize >= 18, `font ${result.fontSize}`);
  assertFits(result);
  // One size larger would not fit on one page.
  const larger = pagesOf(promptPages(prompt, { ...base, minFontSize: result.fontSize + 1 }));
  assert.ok(larger.pages.length > 1);
});

Deno.test("promptPages: a prompt too long for one page takes the fewest, balanced pages", () => {
  const prompt = Array.from({ length: 14 }, () => SENTENCE);
  const result = pagesOf(promptPages(prompt, base));
  assert.ok(result.pages.length > 1);
  assertFits(result);
  const sizes = result.pages.map((p) => p.length);
  assert.ok(Math.max(...sizes) - Math.min(...sizes) <= Math.ceil(sizes[0] / sizes.length) + 1);
  const smallest = pagesOf(promptPages(prompt, { ...base, fontSize: 18 }));
  assert.equal(result.pages.length, smallest.pages.length, "no more pages than the smallest font");
  assert.ok(result.fontSize >= smallest.fontSize);
  const text = result.pages.flat().map((l) => l.text).join(" ").split(/\s+/).join(" ");
  assert.equal(text, prompt.join(" "), "every word once, in order");
});

Deno.test("promptPages: Chinese wraps without spaces; nothing to show is a skip", () => {
  const zh = "小明有5个苹果，他又买了3个，然后分给同学2个。请问他现在有多少个苹果？".repeat(3);
  const result = pagesOf(promptPages([zh], { ...base, language: "zh" }));
  assertFits(result);
  assert.equal(result.pages.flat().map((l) => l.text).join(""), zh);
  assert.deepEqual(promptPages(["", "   "], base), { skip: "empty prompt" });
});

const sentence = { text: "The cat sat on the mat and then it slept.", start: 2, end: 6 };
// Non-space characters before "on": "Thecatsat" = 9; before "then": "Thecatsatonthematand" = 20.
const words = [
  { text: "The", start: 2.0, end: 2.2 },
  { text: "cat", start: 2.3, end: 2.6 },
  { text: "sat", start: 2.7, end: 3.0 },
  { text: "ON", start: 3.1, end: 3.3 },
  { text: "the", start: 3.4, end: 3.5 },
  { text: "mat", start: 3.6, end: 3.9 },
  { text: "and", start: 4.0, end: 4.2 },
  { text: "then", start: 4.5, end: 4.8 },
];

Deno.test("partStarts: a part starts with the first word at or after its first character", () => {
  assert.deepEqual(partStarts(sentence, [0], words), [2]);
  assert.deepEqual(partStarts(sentence, [0, 9, 20], words), [2, 3.1, 4.5]);
  // An offset inside a word: the next word's start.
  assert.deepEqual(partStarts(sentence, [0, 10], words), [2, 3.4]);
  // Words of other sentences (outside the span) are not used: characters share the time.
  const total = 32; // non-space characters of the sentence
  const shifted = words.map((w) => ({ ...w, start: w.start + 10, end: w.end + 10 }));
  assert.deepEqual(partStarts(sentence, [0, 9], shifted), [2, 2 + 4 * 9 / total]);
  assert.deepEqual(partStarts(sentence, [0, 9], []), [2, 2 + 4 * 9 / total]);
});

Deno.test("partStarts: a word timed at the sentence start, or not found, falls back to characters", () => {
  const early = words.map((w) => w.text === "ON" ? { ...w, start: 2 } : w);
  assert.deepEqual(partStarts(sentence, [0, 9], early), [2, 2 + 4 * 9 / 32], "not trusted");
  const onlyFirst = [words[0]];
  assert.deepEqual(partStarts(sentence, [0, 20], onlyFirst), [2, 2 + 4 * 20 / 32]);
  const zh = { text: "小明有五个苹果。", start: 0, end: 2 };
  const zhWords = [{ text: "小明", start: 0, end: 0.4 }, { text: "五个", start: 0.9, end: 1.2 }];
  assert.deepEqual(partStarts(zh, [0, 3], zhWords), [0, 0.9]);
});

Deno.test("tts cache: the decoded duration is stored; an entry from before it was is measured once", async () => {
  await withTempDir(async (dir) => {
    const entry = await cacheEntry(
      dir,
      { engine: "edge", voice: "v", rate: 0, sentences: ["Hi."] },
      {
        ext: "mp3",
      },
    );
    await Deno.mkdir(join(entry.audioPath, ".."), { recursive: true });
    await Deno.writeFile(entry.audioPath, new Uint8Array([1, 2, 3]));
    const narration = {
      audioPath: entry.audioPath,
      duration: 1.5,
      heard: 1.44,
      sentences: [],
      words: [],
    };
    await writeCached(entry, narration);
    const never = (): Promise<number> => Promise.reject(new Error("must not measure"));
    assert.deepEqual(await readCached(entry, never), narration);

    // A sidecar written before `heard` existed.
    const legacy = JSON.parse(await Deno.readTextFile(entry.metaPath));
    delete legacy.heard;
    await Deno.writeTextFile(entry.metaPath, JSON.stringify(legacy));
    let calls = 0;
    const measure = (path: string, duration: number): Promise<number> => {
      calls++;
      assert.equal(path, entry.audioPath);
      return Promise.resolve(duration - 0.06);
    };
    assert.equal((await readCached(entry, measure))?.heard, 1.44);
    assert.equal((await readCached(entry, measure))?.heard, 1.44);
    assert.equal(calls, 1, "measured once, then stored");
  });
});
