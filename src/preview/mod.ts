/**
 * Preview: one sample planned exactly as a render would plan it, shown before a long job — a
 * contact sheet PNG of its key frames, a half-size animated GIF, its manifest lines, and its
 * layout plan as JSON (`videoword preview`).
 *
 * @example
 * ```ts
 * import { previewSample } from "./mod.ts";
 * import { getDataset } from "../datasets/mod.ts";
 * import { silentRenderer } from "../pipeline/mod.ts";
 *
 * const spec = getDataset("gsm8k");
 * const result = await previewSample(
 *   { index: 0, prompt: "What is 2 + 2?", response: "2 + 2 = 4." },
 *   {
 *     spec,
 *     renderer: silentRenderer(spec),
 *     fps: 19.3,
 *     paint: {},
 *     baseDir: "output",
 *     templates: { rendering: "{prompt}" },
 *     ffmpegBin: "ffmpeg",
 *   },
 *   { outDir: "preview" },
 * );
 * console.log(result.files); // ["preview/contact_sheet.png", "preview/animation.gif"]
 * ```
 *
 * @module
 */
export {
  type PreviewOptions,
  type PreviewPlan,
  type PreviewResult,
  previewSample,
  styleSummary,
  type SubtitleView,
} from "./_preview.ts";
export { animationArgs, type AnimationOptions, encodeAnimation } from "./_animation.ts";
export { contactSheetPng, sheetCellOrigin, type SheetFrame, type SheetOptions } from "./_sheet.ts";
