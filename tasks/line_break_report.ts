/**
 * Yields and line breaks of the default silent layout (pure plan, bundled font metrics) per
 * dataset file, audited against UAX #14; also the narrated subtitle lines of every sentence.
 *
 * Usage: deno run -A tasks/line_break_report.ts DATASET=FILE.jsonl [DATASET=FILE.jsonl ...]
 *
 * @module
 */
import {
  auditLineBreaks,
  type LineBreakAudit,
  monospaceMeasure,
  planView,
  type RevealPlan,
  revealPlan,
  splitSubtitle,
  subtitleBand,
} from "../src/layout/mod.ts";
import { getDataset, readSamples } from "../src/datasets/mod.ts";
import { splitSentences } from "../src/text/mod.ts";

/** Displayed lines of a plan, in reading order: prompt lines, then answer lines. */
function planLines(plan: RevealPlan): { prompt: string[]; answer: string[] } {
  const pages = planView(plan).pages;
  return {
    prompt: pages.flatMap((page) => page.prompt_lines.map((line) => line.text)),
    answer: pages.flatMap((page) => page.answer_lines.map((line) => line.text)),
  };
}

function add(total: LineBreakAudit, audit: LineBreakAudit): void {
  total.breaks += audit.breaks;
  total.overWide += audit.overWide;
  total.violations.push(...audit.violations);
}

const band = subtitleBand();
console.log(
  "| dataset (file) | rows | rendered | skipped (reasons) | line breaks | over-wide | violations | subtitle breaks | subtitle violations |",
);
console.log("|---|---|---|---|---|---|---|---|---|");
const examples: string[] = [];
for (const arg of Deno.args) {
  const [key, file] = arg.split("=");
  const spec = getDataset(key);
  const language = spec.language;
  const reasons = new Map<string, number>();
  let rows = 0;
  let rendered = 0;
  const pages: LineBreakAudit = { breaks: 0, overWide: 0, violations: [] };
  const subtitles: LineBreakAudit = { breaks: 0, overWide: 0, violations: [] };
  for await (const item of readSamples(spec, [file])) {
    rows++;
    if ("skip" in item) {
      const reason = item.skip.split(":")[0];
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      continue;
    }
    const promptSentences = splitSentences(item.sample.prompt, language);
    const responseSentences = splitSentences(item.sample.response, language);
    const plan = revealPlan(promptSentences, responseSentences, {
      kind: spec.kind,
      language,
      measure: monospaceMeasure,
    });
    for (const sentence of [...promptSentences, ...responseSentences]) {
      const lines = splitSubtitle(sentence, { language, band }).flatMap((part) => part.lines);
      add(
        subtitles,
        auditLineBreaks([sentence], lines, {
          maxWidth: band.maxWidth,
          fontSize: band.fontSize,
          measure: monospaceMeasure,
        }),
      );
    }
    if ("skip" in plan) {
      reasons.set(plan.skip, (reasons.get(plan.skip) ?? 0) + 1);
      continue;
    }
    rendered++;
    const lines = planLines(plan);
    const options = {
      maxWidth: plan.width - 2 * plan.margin,
      fontSize: plan.fontSize,
      measure: monospaceMeasure,
    };
    add(pages, auditLineBreaks(promptSentences, lines.prompt, options));
    add(pages, auditLineBreaks(responseSentences, lines.answer, options));
  }
  const skipped = [...reasons].map(([r, n]) => `${r}: ${n}`).join(", ") || "-";
  console.log(
    `| ${key} (${file.split("/").at(-1)}) | ${rows} | ${rendered} | ${
      rows - rendered
    } (${skipped}) | ` +
      `${pages.breaks} | ${pages.overWide} | ${pages.violations.length} | ${subtitles.breaks} | ` +
      `${subtitles.violations.length} |`,
  );
  for (const v of [...pages.violations.slice(0, 3), ...subtitles.violations.slice(0, 2)]) {
    examples.push(
      `- ${key} ${v.kind}: \`${v.sentence.slice(Math.max(0, v.at - 20), v.at)}\` / \`${
        v.sentence.slice(v.at, v.at + 20)
      }\``,
    );
  }
}
if (examples.length > 0) console.log(`\nExamples:\n${examples.join("\n")}`);
