/**
 * Layout: text → pages and a per-frame reveal plan. Pure: no canvas, no pixels.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LAYOUT_DEFAULTS, revealPlan } from "./mod.ts";
 *
 * const plan = revealPlan(["What is 2 + 3?"], ["2 + 3 = 5.", "The answer is 5."], {
 *   ...LAYOUT_DEFAULTS,
 *   frames: 97,
 * });
 * assert.ok(!("skip" in plan));
 * assert.equal(plan.frames.length, 97); // frame k shows the first k answer units
 * ```
 *
 * @module
 */
export { monospaceMeasure, type TextMeasure } from "./_measure.ts";
export {
  type ConditionalLayoutSetting,
  defaultHoldFrames,
  type FrameRef,
  LAYOUT_DEFAULTS,
  type LayoutOptions,
  layoutProblem,
  type LayoutSettings,
  layoutSettingUsed,
  type LayoutSkip,
  type LongPromptPolicy,
  type PageLayout,
  type PlacedText,
  type RevealPace,
  type RevealPlan,
  revealPlan,
  revealSteps,
  type TextAlign,
} from "./_plan.ts";
export { layoutFromRecord, type LayoutRecord, layoutRecord } from "./_record.ts";
export { type PromptPages, promptPages, type PromptPagesOptions } from "./_prompt_pages.ts";
export { scaledLayout, scaleToHeight } from "./_scale.ts";
export {
  scaledSubtitleBand,
  splitSubtitle,
  type SplitSubtitleOptions,
  SUBTITLE_BAND_DEFAULTS,
  type SubtitleBand,
  subtitleBand,
  type SubtitleBandOptions,
  type SubtitlePart,
} from "./_subtitles.ts";
export {
  glueRuns,
  type LineUnit,
  splitOversized,
  type WrapOptions,
  type WrappedLine,
  wrapUnits,
} from "./_wrap.ts";
export {
  auditLineBreaks,
  type AuditOptions,
  type LineBreakAudit,
  lineBreakOpportunities,
  type LineBreakViolation,
} from "./_line_breaks.ts";
export {
  type LineView,
  type PageView,
  type PlanView,
  planView,
  type PlanViewOptions,
  type UnitView,
} from "./_plan_view.ts";
