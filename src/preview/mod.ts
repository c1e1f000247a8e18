/**
 * Preview: one sample planned exactly as a render would plan it, shown before a long job — a
 * contact sheet PNG of its key frames, a half-size animated GIF, its manifest lines, and its
 * layout plan as JSON (`videoword preview`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { basename } from "node:path";
 * import { getDataset } from "../datasets/mod.ts";
 * import { silentRenderer } from "../pipeline/mod.ts";
 * import { previewSample } from "./mod.ts";
 *
 * const outDir = await Deno.makeTempDir();
 * const spec = getDataset("gsm8k");
 * const result = await previewSample(
 *   { index: 0, prompt: "What is 2 + 2?", response: "2 + 2 = 4." },
 *   {
 *     spec,
 *     renderer: silentRenderer(spec),
 *     fps: 19.3,
 *     paint: {},
 *     baseDir: "output", // where render would write: named in the manifest lines shown
 *     templates: { rendering: "{prompt}" },
 *     ffmpegBin: "ffmpeg",
 *   },
 *   { outDir },
 * );
 * const names = result.files.map((file) => basename(file));
 * assert.deepEqual(names, ["contact_sheet.png", "animation.gif"]);
 * assert.equal(result.manifest.rendering?.prompt, "What is 2 + 2?");
 * await Deno.remove(outDir, { recursive: true });
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
