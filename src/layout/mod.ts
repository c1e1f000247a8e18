/**
 * Layout: text → pages and a per-frame reveal plan. Pure: no canvas, no pixels.
 *
 * @module
 */
export { monospaceMeasure, type TextMeasure } from "./measure.ts";
export {
  defaultHoldFrames,
  type FrameRef,
  type LayoutOptions,
  type LayoutSkip,
  type LongPromptPolicy,
  type PageLayout,
  type PlacedText,
  type RevealPace,
  type RevealPlan,
  revealPlan,
  revealSteps,
} from "./plan.ts";
export { type PromptPages, promptPages, type PromptPagesOptions } from "./prompt_pages.ts";
export {
  splitSubtitle,
  type SplitSubtitleOptions,
  type SubtitleBand,
  subtitleBand,
  type SubtitleBandOptions,
  type SubtitlePart,
} from "./subtitles.ts";
export {
  glueRuns,
  type LineUnit,
  splitOversized,
  type WrapOptions,
  type WrappedLine,
  wrapUnits,
} from "./wrap.ts";
export {
  auditLineBreaks,
  type AuditOptions,
  type LineBreakAudit,
  lineBreakOpportunities,
  type LineBreakViolation,
} from "./line_breaks.ts";
export {
  type LineView,
  type PageView,
  type PlanView,
  planView,
  type PlanViewOptions,
  type UnitView,
} from "./plan_view.ts";
