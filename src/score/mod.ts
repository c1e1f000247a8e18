/**
 * Scores: read the text back out of videos with OCR (tesseract) and compare it with what their
 * manifest lines say they show — the dataset's own videos page by page (re-planned with the
 * same pure layout plan `render` uses), or a model's generated videos by their final frames.
 * Character error rate, exact-line accuracy, math answer accuracy; flagged videos; an HTML
 * report.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { getDataset } from "../datasets/mod.ts";
 * import { runRender, silentRenderer } from "../pipeline/mod.ts";
 * import { charErrors, scoreDataset, scoreDefaults } from "./mod.ts";
 *
 * assert.deepEqual(charErrors("So the answer is: 72.", "So the answer is: 12."), {
 *   edits: 1,
 *   length: 21,
 * });
 * const baseDir = await Deno.makeTempDir();
 * const spec = getDataset("gsm8k");
 * await runRender(spec, silentRenderer(spec), {
 *   source: "samples", // the rows embedded in the program
 *   dataDir: baseDir,
 *   baseDir,
 *   start: 0,
 *   count: 1,
 *   modes: ["rendering"],
 *   workers: 1,
 *   templates: spec.templates,
 *   progress: false,
 *   maxTextChars: 20_000,
 * });
 * const options = { ...scoreDefaults(), progress: "none" as const };
 * const { summary } = await scoreDataset(`${baseDir}/gsm8k`, options);
 * assert.equal(summary.scored, 1);
 * assert.deepEqual(summary.flagged, []); // tesseract read back what the manifest line says
 * await Deno.remove(baseDir, { recursive: true });
 * ```
 *
 * @module
 */
export {
  alignText,
  charErrors,
  type EditOp,
  exactLines,
  extractAnswer,
  normalizeText,
  sameAnswer,
} from "./_text.ts";
export { type Expected, type ExpectedPage, expectedPages } from "./_expect.ts";
export {
  type ExpectedNarrated,
  expectedNarrated,
  isNarratedLine,
  type NarratedArea,
  type NarratedRegion,
} from "./_expect_narrated.ts";
export {
  type Crop,
  extractFrames,
  frameExtractArgs,
  OCR_FONT_PX,
  OCR_TOOLS_DEFAULTS,
  ocrPng,
  ocrPngs,
  ocrScale,
  type OcrTools,
  probeFrames,
  splitPngStream,
  tesseractLanguage,
} from "./_ocr.ts";
export {
  FLAG_CER,
  formatSummary,
  type PageScore,
  scoreDataset,
  scoreDefaults,
  type ScoreOptions,
  type ScoreSummary,
  summarize,
  type VideoScore,
} from "./_score.ts";
export {
  histogramSvg,
  markedDiff,
  reportHtml,
  type ReportOptions,
  writeReport,
} from "./_report.ts";
