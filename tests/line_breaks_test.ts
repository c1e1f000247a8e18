import assert from "node:assert/strict";
import {
  auditLineBreaks,
  glueRuns,
  lineBreakOpportunities,
  monospaceMeasure,
  planView,
  type RevealPlan,
  revealPlan,
  splitSubtitle,
  subtitleBand,
  wrapUnits,
} from "../src/layout/mod.ts";
import { getDataset, readSamples, sampleFiles } from "../src/datasets/mod.ts";
import { joinUnits, revealUnits, splitSentences } from "../src/text/mod.ts";
import { fixtureRowFiles } from "./helpers/hub_fixtures.ts";

function lines(plan: RevealPlan): { prompt: string[]; answer: string[] } {
  const pages = planView(plan).pages;
  return {
    prompt: pages.flatMap((p) => p.prompt_lines.map((l) => l.text)),
    answer: pages.flatMap((p) => p.answer_lines.map((l) => l.text)),
  };
}

const wrapOptions = (maxWidth: number) => ({ maxWidth, fontSize: 28, measure: monospaceMeasure });

/** Lines of one sentence wrapped at `maxWidth`. */
function wrapText(text: string, language: "en" | "zh", maxWidth: number): string[] {
  return wrapUnits(revealUnits(text, language), wrapOptions(maxWidth)).map((l) =>
    joinUnits(l.units)
  );
}

Deno.test("UAX #14 opportunities come from the linebreak package", () => {
  assert.deepEqual(lineBreakOpportunities("buy 16 / 2 = 8"), [4, 9, 11, 13]);
  // No break inside arithmetic, nor before closing or after opening punctuation.
  const text = "付超市30-20=10元（元）。";
  const cuts = lineBreakOpportunities(text);
  assert.ok(!cuts.some((p) => p > 3 && p < 11), `inside 30-20=10: ${cuts}`);
  assert.ok(!cuts.includes(text.indexOf("（") + 1));
  assert.ok(!cuts.includes(text.indexOf("）")));
});

Deno.test("lines end only where UAX #14 allows: operators and punctuation stay with their operand", () => {
  // Each width makes the old word-greedy rule break right before the operator or mark.
  const cases: [string, "en" | "zh"][] = [
    ["so Betty has only 100 / 2 = $50.", "en"],
    ["Then 2 liters * 20% = .4 liters of juice", "en"],
    ["小刚进的球数+小红进的球数+小刚进的球数", "zh"],
    ["行除法运算：20÷4=5。", "zh"],
    ["付超市30-20=10元", "zh"],
  ];
  for (const [text, language] of cases) {
    const units = revealUnits(text, language);
    const full = monospaceMeasure(joinUnits(units), 28);
    // Every width from the widest run without an opportunity up (narrower ones break inside
    // runs: tested below).
    const widest = Math.max(
      ...glueRuns(units).map((run) => monospaceMeasure(joinUnits(run), 28)),
    );
    for (let width = Math.ceil(widest); width < full; width += 3) {
      const wrapped = wrapText(text, language, width);
      assert.equal(
        wrapped.join(language === "en" ? " " : "").replace(/\s/g, ""),
        text.replace(/\s/g, ""),
      );
      const audit = auditLineBreaks([text], wrapped, wrapOptions(width));
      assert.deepEqual(audit.violations, [], `${text} at ${width}: ${wrapped.join(" | ")}`);
      wrapped.forEach((line, i) => {
        const where = `${text} at ${width}: ${wrapped.join(" | ")}`;
        if (i > 0) assert.ok(!/^[/.,)）。，÷]/.test(line), `line starts with a mark: ${where}`);
        if (i < wrapped.length - 1) assert.ok(!/[+÷(（-]$/.test(line), `line ends: ${where}`);
      });
    }
  }
});

Deno.test("reveal units are unchanged by line breaking", () => {
  const text = "小明有15÷5=3个苹果，“你好！”他说。Buy 16 / 2 = 8 apples.";
  for (const width of [200, 300, 610]) {
    const wrapped = wrapUnits(revealUnits(text, "zh"), wrapOptions(width));
    assert.deepEqual(
      wrapped.flatMap((l) => l.units.map((u) => u.text)),
      revealUnits(text, "zh").map((u) => u.text),
    );
  }
});

Deno.test("a run with no opportunity wider than the line breaks at grapheme boundaries, alone", () => {
  // `é` as e + combining acute: one grapheme, two code points.
  const word = "ne\u0301e\u0301".repeat(12);
  const text = `a ${word} b`;
  const width = 200;
  const wrapped = wrapUnits(revealUnits(text, "en"), wrapOptions(width));
  const texts = wrapped.map((l) => joinUnits(l.units));
  assert.equal(texts[0], "a");
  // The over-wide run starts a line; what follows may share its last line.
  assert.equal(texts.slice(1).join(""), `${word} b`);
  for (const line of wrapped) assert.ok(line.width <= width, `too wide: ${line.width}`);
  for (const t of texts) assert.ok(!/^\u0301/.test(t), `split inside a grapheme: ${t}`);
  const audit = auditLineBreaks([text], texts, wrapOptions(width));
  assert.deepEqual(audit.violations, []);
  assert.ok(audit.overWide >= 2);

  // Units glued by UAX #14 (no break before a closing mark, even after a space) that are too
  // wide together break between units; each unit stays whole.
  const glued = "x" + " )".repeat(30);
  const gluedLines = wrapUnits(revealUnits(glued, "en"), wrapOptions(150));
  assert.ok(gluedLines.length > 1);
  for (const line of gluedLines) {
    assert.ok(line.width <= 150);
    for (const unit of line.units) assert.ok(unit.text === "x" || unit.text === ")");
  }
  const gluedAudit = auditLineBreaks(
    [glued],
    gluedLines.map((l) => joinUnits(l.units)),
    wrapOptions(150),
  );
  assert.deepEqual(gluedAudit.violations, []);
  assert.equal(gluedAudit.overWide, gluedLines.length - 1);
});

Deno.test("every fixture row of every dataset: no line break where UAX #14 forbids one", async () => {
  const band = subtitleBand();
  const subtitleOptions = {
    maxWidth: band.maxWidth,
    fontSize: band.fontSize,
    measure: monospaceMeasure,
  };
  let planned = 0;
  let breaks = 0;
  let subtitleBreaks = 0;
  for (const [key, files] of fixtureRowFiles()) {
    const spec = getDataset(key);
    const paths = [...files, ...sampleFiles(spec)];
    for await (const item of readSamples(spec, paths)) {
      if ("skip" in item) continue;
      const prompt = splitSentences(item.sample.prompt, spec.language);
      const response = splitSentences(item.sample.response, spec.language);
      const plan = revealPlan(prompt, response, { kind: spec.kind, language: spec.language });
      if (!("skip" in plan)) {
        planned++;
        const options = wrapOptions(plan.width - 2 * plan.margin);
        const { prompt: promptLines, answer } = lines(plan);
        for (
          const audit of [
            auditLineBreaks(prompt, promptLines, { ...options, fontSize: plan.fontSize }),
            auditLineBreaks(response, answer, { ...options, fontSize: plan.fontSize }),
          ]
        ) {
          breaks += audit.breaks;
          assert.deepEqual(audit.violations, [], `${key} row ${item.index}`);
        }
      }
      // Narrated subtitle lines of the small fixtures (GSM8K's 7,473 rows: the page check only).
      if (spec.key === "gsm8k" && item.index >= 300) continue;
      for (const sentence of [...prompt, ...response]) {
        const parts = splitSubtitle(sentence, { language: spec.language, band });
        const audit = auditLineBreaks([sentence], parts.flatMap((p) => p.lines), subtitleOptions);
        subtitleBreaks += audit.breaks;
        assert.deepEqual(audit.violations, [], `${key} row ${item.index} subtitle`);
      }
    }
  }
  assert.ok(planned > 7800, `planned ${planned}`);
  assert.ok(breaks > 70_000 && subtitleBreaks > 5_000, `${breaks} / ${subtitleBreaks}`);
});

Deno.test("the audit flags breaks UAX #14 forbids and a line spanning two sentences", () => {
  const options = wrapOptions(610);
  const bad = auditLineBreaks(["so he buys 16 / 2 = 8 apples."], [
    "so he buys 16",
    "/ 2 = 8 apples.",
  ], options);
  assert.equal(bad.breaks, 1);
  assert.deepEqual(bad.violations.map((v) => v.kind), ["forbidden"]);
  const joined = auditLineBreaks(["One.", "Two."], ["One. Two."], options);
  assert.deepEqual(joined.violations.map((v) => v.kind), ["sentence"]);
  const ok = auditLineBreaks(["so he buys 16 / 2 = 8 apples."], [
    "so he buys",
    "16 / 2 = 8 apples.",
  ], options);
  assert.deepEqual(ok, { breaks: 1, overWide: 0, violations: [] });
});
