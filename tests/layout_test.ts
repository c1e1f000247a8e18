import assert from "node:assert/strict";
import { join } from "node:path";
import {
  type LayoutOptions,
  monospaceMeasure,
  type RevealPlan,
  revealPlan,
  revealSteps,
} from "../src/layout/mod.ts";
import { joinUnits, revealUnits, splitSentences } from "../src/text/mod.ts";
import { getDataset } from "../src/datasets/mod.ts";

const ROWS = join(import.meta.dirname!, "fixtures", "rows");

function plan(
  prompt: string,
  response: string,
  options: LayoutOptions = {},
): RevealPlan {
  const language = options.language ?? "en";
  const result = revealPlan(
    splitSentences(prompt, language),
    splitSentences(response, language),
    { kind: "math", ...options },
  );
  if ("skip" in result) throw new Error(`unexpected skip: ${result.skip}`);
  return result;
}

function readJsonl(name: string): Record<string, unknown>[] {
  return Deno.readTextFileSync(join(ROWS, name)).split("\n").filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

/** Every placed piece of text lies inside the margins (widths from the fonts' real metrics). */
function assertInsideMargins(p: RevealPlan): void {
  for (const page of p.pages) {
    for (const item of [...page.prompt, ...page.units]) {
      const right = item.x + monospaceMeasure(item.text, p.fontSize);
      assert.ok(item.x >= p.margin, `left of margin: ${item.text}`);
      assert.ok(right <= p.width - p.margin + 1e-6, `right of margin: ${item.text} (${right})`);
      assert.ok(item.y - p.fontSize * 0.82 >= p.margin - 1e-6, `above margin: ${item.text}`);
      assert.ok(item.y + p.fontSize * 0.25 <= p.height - p.margin, `below margin: ${item.text}`);
    }
  }
}

Deno.test("English reveal units are whole words", () => {
  const units = revealUnits("Natalia sold 48/2 = 24 clips in May.", "en");
  assert.deepEqual(units.map((u) => u.text), [
    "Natalia",
    "sold",
    "48/2",
    "=",
    "24",
    "clips",
    "in",
    "May.",
  ]);
});

Deno.test("Chinese reveal units: characters, number groups, punctuation glued to neighbours", () => {
  const units = revealUnits("小明走了2.5公里，用时（30分钟）。“你好！”他说", "zh").map((u) =>
    u.text
  );
  assert.deepEqual(units, [
    "小",
    "明",
    "走",
    "了",
    "2.5",
    "公",
    "里，",
    "用",
    "时",
    "（30",
    "分",
    "钟）。",
    "“你",
    "好！”",
    "他",
    "说",
  ]);
  // Operators and LaTeX runs stay whole.
  assert.deepEqual(revealUnits("答案是$\\frac{3}{5}$米", "zh").map((u) => u.text), [
    "答",
    "案",
    "是",
    "$\\frac{3}{5}$",
    "米",
  ]);
  assert.equal(joinUnits(revealUnits("速度 = 路程 ÷ 时间", "zh")), "速度 = 路程 ÷ 时间");
});

Deno.test("frame 0 shows the prompt only and frame k the first k units", () => {
  const p = plan(
    "Weng earns $12 an hour. How much did she earn?",
    "Weng earns 12/60 = $0.2 per minute.\nSo the answer is: 10.",
  );
  assert.equal(p.frames.length, 193);
  assert.deepEqual(p.frames[0], { page: 0, units: 0 });
  assert.equal(p.unitCount, 12);
  for (let k = 1; k <= p.unitCount; k++) assert.deepEqual(p.frames[k], { page: 0, units: k });
  for (let k = p.unitCount + 1; k < 193; k++) assert.deepEqual(p.frames[k], p.frames[p.unitCount]);
  assert.equal(p.pages[0].prompt.length, 2);
  assert.equal(p.pages[0].prompt[0].text, "Weng earns $12 an hour.");
  assert.ok(p.pages[0].separatorY !== null);
  // Each sentence starts a new line: the second sentence's first unit is at the left margin.
  const second = p.pages[0].units[7];
  assert.equal(second.text, "So");
  assert.equal(second.x, p.margin);
  assert.ok(second.y > p.pages[0].units[6].y);
});

Deno.test("lines break only between words, never inside one, and stay inside the margins", () => {
  const rows = readJsonl("gsm8k_head300.jsonl").slice(0, 120);
  const spec = getDataset("gsm8k");
  for (const row of rows) {
    const cleaned = spec.clean(row);
    assert.ok(cleaned.ok);
    const p = plan(cleaned.prompt, cleaned.response);
    const words = new Set(cleaned.response.split(/\s+/));
    for (const page of p.pages) {
      for (const unit of page.units) assert.ok(words.has(unit.text), `split word: ${unit.text}`);
      // Prompt lines, rejoined, are a run of whole prompt words.
      for (const line of page.prompt) {
        assert.ok(cleaned.prompt.replace(/\s+/g, " ").includes(line.text), `bad line ${line.text}`);
      }
    }
    assertInsideMargins(p);
  }
});

Deno.test("Chinese lines never start with closing punctuation nor end with an opening one", () => {
  const spec = getDataset("belle_school_math");
  for (const row of readJsonl("belle_head60.jsonl")) {
    const cleaned = spec.clean(row);
    if (!cleaned.ok) continue;
    const result = revealPlan(
      splitSentences(cleaned.prompt, "zh"),
      splitSentences(cleaned.response, "zh"),
      { language: "zh", kind: "math" },
    );
    if ("skip" in result) continue;
    assertInsideMargins(result);
    for (const page of result.pages) {
      const lines = new Map<number, string[]>();
      for (const u of page.units) lines.set(u.y, [...(lines.get(u.y) ?? []), u.text]);
      for (const units of lines.values()) {
        assert.ok(!/^[，。！？；：、）》」』”’,.!?;:)]/.test(units[0]), `line starts: ${units[0]}`);
        assert.ok(!/[（《「『“‘(]$/.test(units[units.length - 1]), `line ends: ${units.at(-1)}`);
      }
    }
  }
});

Deno.test("long prompts: paginate holds prompt pages, shrink lowers the font, skip skips", () => {
  const long = Array.from({ length: 11 }, (_, i) => `Sentence ${i} is here.`).join(" ");
  const answer = "The answer is short.\nSo the answer is: 4.";
  const p = plan(long, answer);
  assert.equal(p.extraPromptPages, 1);
  assert.equal(p.pages[0].separatorY, null);
  assert.equal(p.pages[0].prompt.length, 10);
  assert.equal(p.pages[0].units.length, 0);
  for (let f = 0; f < 10; f++) assert.deepEqual(p.frames[f], { page: 0, units: 0 });
  assert.deepEqual(p.frames[10], { page: 1, units: 0 });
  assert.deepEqual(p.frames[11], { page: 1, units: 1 });
  assert.equal(p.pages[1].prompt.length, 1);
  assert.ok(p.pages[1].separatorY !== null);

  const shrunk = plan(long, answer, { longPrompt: "shrink" });
  assert.ok(shrunk.fontSize < 28 && shrunk.fontSize >= 20, `font ${shrunk.fontSize}`);
  assert.equal(shrunk.extraPromptPages, 0);
  assertInsideMargins(shrunk);

  const skipped = revealPlan(splitSentences(long, "en"), splitSentences(answer, "en"), {
    longPrompt: "skip",
  });
  assert.deepEqual(skipped, { skip: "prompt too long" });
});

Deno.test("answers that outgrow the page turn pages; later pages use the whole frame", () => {
  const answer = Array.from({ length: 20 }, (_, i) => `Step ${i}: two and two make four.`)
    .join("\n");
  const p = plan("What is two plus two?", answer);
  assert.ok(p.pages.length >= 3);
  assert.equal(p.pages[1].prompt.length, 0);
  assert.equal(p.pages[1].separatorY, null);
  assert.equal(p.pages[1].units[0].y, p.margin + 25);
  const lines = new Set(p.pages[1].units.map((u) => u.y));
  assert.equal(lines.size, 10);
  // Frames move to page 1 exactly when its first unit appears.
  const turn = p.frames.findIndex((f) => f.page === 1);
  assert.deepEqual(p.frames[turn], { page: 1, units: 1 });
  assert.equal(p.frames[turn - 1].units, p.pages[0].units.length);
  assertInsideMargins(p);
});

Deno.test("math answers too long are skipped; stories end at the last sentence that fits", () => {
  const longAnswer = Array.from({ length: 40 }, () => "One two three four five six.").join(" ");
  const math = revealPlan(["A question?"], splitSentences(longAnswer, "en"), { kind: "math" });
  assert.deepEqual(math, { skip: "answer too long" });
  const story = revealPlan(["Once upon a time.", "There was a cat."], [
    ...splitSentences(longAnswer, "en"),
  ], { kind: "story" });
  assert.ok(!("skip" in story));
  assert.equal(story.truncated, true);
  assert.equal(story.unitCount, 32 * 6); // 32 whole six-word sentences fit 192 frames
  assert.ok(story.responseText.endsWith("six."));
  assert.equal(story.frames.length, 193);
});

Deno.test("at least 99% of GSM8K renders with the default layout", () => {
  const spec = getDataset("gsm8k");
  const rows = readJsonl("gsm8k_train.jsonl");
  assert.equal(rows.length, 7473);
  let ok = 0;
  for (const row of rows) {
    const cleaned = spec.clean(row);
    if (!cleaned.ok) continue;
    const p = revealPlan(
      splitSentences(cleaned.prompt, "en"),
      splitSentences(cleaned.response, "en"),
      { kind: "math" },
    );
    if (!("skip" in p)) ok++;
  }
  assert.ok(ok / rows.length >= 0.99, `rendered ${ok} of ${rows.length}`);
});

Deno.test("empty prompt or response is a counted skip", () => {
  assert.deepEqual(revealPlan([], ["x."]), { skip: "empty prompt" });
  assert.deepEqual(revealPlan(["A?"], ["  "]), { skip: "empty response" });
});

/** New units each reveal frame shows (across page turns: units on the new page). */
function newUnitsPerFrame(p: RevealPlan): number[] {
  const start = p.extraPromptPages * 10 + 1;
  const steps: number[] = [];
  for (let f = start; f <= p.revealEndFrame; f++) {
    const [before, now] = [p.frames[f - 1], p.frames[f]];
    steps.push(now.page === before.page ? now.units - before.units : now.units);
  }
  return steps;
}

function completeFrame(p: RevealPlan): number {
  const last = p.frames[p.frames.length - 1];
  return p.frames.findIndex((f) => f.page === last.page && f.units === last.units);
}

Deno.test("pace fit: even spread, complete by frames - hold, then held", () => {
  const answer = Array.from({ length: 12 }, (_, i) => `Step ${i} adds 3 + 4 = 7 apples.`).join(" ");
  const p = plan("How many apples?", answer, {
    pace: "fit",
    frames: 81,
    width: 832,
    height: 480,
  });
  assert.equal(p.pace, "fit");
  assert.equal(p.frames.length, 81);
  const hold = 8; // default: 10% of 81
  assert.equal(p.revealEndFrame, 81 - hold - 1);
  assert.equal(completeFrame(p), p.revealEndFrame);
  const steps = newUnitsPerFrame(p);
  assert.equal(steps.reduce((a, b) => a + b, 0), p.unitCount);
  assert.ok(Math.max(...steps) - Math.min(...steps) <= 1, `steps ${steps}`);
  assert.ok(Math.max(...steps) <= 4);
  assert.deepEqual(p.unitsPerFrame, { min: Math.min(...steps), max: Math.max(...steps) });
  // A short answer: zero or one unit a frame, still done exactly at frames - hold.
  const short = plan("Q?", "It is 4.", { pace: "fit", frames: 81, holdFrames: 20 });
  assert.equal(short.revealEndFrame, 81 - 20 - 1);
  assert.deepEqual(short.unitsPerFrame, { min: 0, max: 1 });
});

Deno.test("pace fit: page turns show every page whole, counts still differ by at most one", () => {
  const answer = Array.from({ length: 30 }, (_, i) => `Line ${i} says one two three.`).join(" ");
  const p = plan("Q?", answer, { pace: "fit", frames: 121, maxUnitsPerFrame: 4 });
  assert.ok(p.pages.length > 1);
  for (const [i, page] of p.pages.entries()) {
    assert.ok(
      p.frames.some((f) => f.page === i && f.units === page.units.length),
      `page ${i} is never shown whole`,
    );
  }
  const steps = newUnitsPerFrame(p);
  assert.ok(Math.max(...steps) - Math.min(...steps) <= 1, `steps ${steps}`);
  assert.ok(p.revealEndFrame <= 121 - 12 - 1);
  assert.equal(completeFrame(p), p.revealEndFrame);
});

Deno.test("pace fit: --max-units-per-frame skips math and cuts stories at a sentence end", () => {
  const long = Array.from({ length: 30 }, () => "One two three four five six.").join(" ");
  const math = revealPlan(["Q?"], splitSentences(long, "en"), {
    kind: "math",
    pace: "fit",
    frames: 49,
    maxUnitsPerFrame: 2,
  });
  assert.deepEqual(math, { skip: "answer too long" });
  const story = revealPlan(["Once."], splitSentences(long, "en"), {
    kind: "story",
    pace: "fit",
    frames: 49,
    maxUnitsPerFrame: 2,
  });
  assert.ok(!("skip" in story));
  assert.equal(story.truncated, true);
  assert.ok(story.responseText.endsWith("six."));
  assert.ok(story.unitsPerFrame.max <= 2);
  // 49 frames, hold 5, one empty frame: 43 reveal frames of at most 2 units, whole sentences.
  assert.equal(story.unitCount, Math.floor(43 * 2 / 6) * 6);
});

Deno.test("pace one: one unit per frame as before, reveal end reported", () => {
  const p = plan("Q?", "Two plus two is four.");
  assert.equal(p.pace, "one");
  assert.deepEqual(p.unitsPerFrame, { min: 1, max: 1 });
  assert.equal(p.revealEndFrame, p.unitCount);
  assert.equal(completeFrame(p), p.revealEndFrame);
});

Deno.test("revealSteps: a page too small for the rate has no even spread", () => {
  // 12 units on page 1 and 1 on page 2 over 6 frames: rates {2,3} cannot place a 1-unit page.
  assert.equal(revealSteps([12, 13], 6, 4), null);
  assert.deepEqual(revealSteps([6, 12], 4, 4), [3, 3, 3, 3]);
  assert.equal(revealSteps([100], 10, 4), null);
});

Deno.test("pace fit: a one-line last page is balanced instead of skipped", () => {
  // Nine 4-unit lines fill page 1 under a one-line prompt at 360p; "Done." alone on page 2
  // cannot take a share of a 2-3 units per frame reveal.
  const answer = [...Array.from({ length: 9 }, (_, i) => `Line ${i} is here.`), "Done."].join(" ");
  const greedy = revealPlan(["Q?"], splitSentences(answer, "en"), { kind: "math" });
  assert.ok(!("skip" in greedy) && greedy.pages[1].units.length === 1);
  const p = plan("Q?", answer, { pace: "fit", frames: 15, holdFrames: 1 });
  assert.equal(p.pages.length, 2);
  assert.ok(p.pages[1].units.length > 1);
  for (const [i, page] of p.pages.entries()) {
    assert.ok(p.frames.some((f) => f.page === i && f.units === page.units.length));
  }
  const steps = newUnitsPerFrame(p);
  assert.ok(Math.max(...steps) - Math.min(...steps) <= 1, `steps ${steps}`);
  assert.ok(Math.max(...steps) <= 4);
});
