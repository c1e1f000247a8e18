/**
 * Scores: read the text back out of videos with OCR (tesseract) and compare it with what their
 * manifest lines say they show — the dataset's own videos page by page (re-planned with the
 * same pure layout plan `render` uses), or a model's generated videos by their final frames.
 * Character error rate, exact-line accuracy, math answer accuracy; flagged videos; an HTML
 * report.
 *
 * @example
 * ```ts
 * import { charErrors, scoreDataset, scoreDefaults } from "./mod.ts";
 *
 * charErrors("So the answer is: 72.", "So the answer is: 12."); // { edits: 1, length: 21 }
 * const { summary } = await scoreDataset("output/gsm8k", { ...scoreDefaults(), progress: "none" });
 * console.log(summary.cer, summary.flagged);
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
