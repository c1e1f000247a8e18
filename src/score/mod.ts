/**
 * Scores: read the text back out of videos with OCR (tesseract) and compare it with what their
 * manifest lines say they show — the dataset's own videos page by page (re-planned with the
 * same pure layout plan `render` uses), narrated videos cue by cue in their subtitle band, or a
 * model's generated videos by their final frames. Character error rate, exact-line accuracy,
 * math answer accuracy; flagged videos; several datasets and modes at once (`scoreDatasets`);
 * an HTML report with a summary table per dataset and mode.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { getDataset } from "../datasets/mod.ts";
 * import { runRender, silentRenderer } from "../pipeline/mod.ts";
 * import { charErrors, scoreDataset, scoreDatasets, scoreDefaults } from "./mod.ts";
 *
 * // One wrong digit in 20 compared characters (a space next to punctuation is not compared).
 * assert.deepEqual(charErrors("So the answer is: 72.", "So the answer is: 12."), {
 *   edits: 1,
 *   length: 20,
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
 * // The base folder: every dataset folder in it, each manifest kind it holds (kept scores reused).
 * const { total } = await scoreDatasets([baseDir], { ...options, mode: "all" });
 * assert.deepEqual(total.runs.map((run) => [run.mode, run.reused]), [["rendering", 1]]);
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
  SCORE_VERSION,
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
  type ScoreMode,
  type ScoreOptions,
  type ScoreSummary,
  summarize,
  type VideoScore,
} from "./_score.ts";
export {
  datasetFolders,
  formatTotal,
  runLabel,
  scoreDatasets,
  type ScoreRun,
  type ScoreTotal,
  totalOf,
} from "./_runs.ts";
export {
  histogramSvg,
  markedDiff,
  reportHtml,
  type ReportOptions,
  type ReportRun,
  writeReport,
} from "./_report.ts";
