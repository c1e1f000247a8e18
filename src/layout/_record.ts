/**
 * The manifest's `layout` record: every setting a silent plan was made with that changes pixels,
 * so that the plan can be made again from the line alone (`videoword score` does).
 */
import { withDefaults } from "../defaults/mod.ts";
import {
  type ConditionalLayoutSetting,
  defaultHoldFrames,
  LAYOUT_DEFAULTS,
  type LayoutOptions,
  layoutSettingUsed,
  type LongPromptPolicy,
  type RevealPace,
  type TextAlign,
} from "./_plan.ts";

/** What `revealPlan` was given, as a manifest line records it (snake_case, every field set). */
export interface LayoutRecord {
  width: number;
  height: number;
  margin: number;
  /** The size the plan started from (`shrink` may draw smaller: the line's `font_size`). */
  font_size: number;
  /** The pitch at `font_size`. */
  line_height: number;
  frames: number;
  long_prompt: LongPromptPolicy;
  prompt_page_frames: number;
  pace: RevealPace;
  hold_frames: number;
  max_units_per_frame: number;
  min_font_size: number;
  separator_thickness: number;
  separator_gap: number;
  /** Line alignment (`--style varied`; the seed's: `left`). */
  align: TextAlign;
  /** Room inside the margins, in ems (`--style varied`; the seed's: 0). */
  ink_inset: number;
}

/**
 * The record of `options` (unset fields at their defaults, as `revealPlan` reads them). A
 * setting the plan does not read under the others ({@link layoutSettingUsed}) is recorded as its
 * default, as the fingerprint counts it: a video kept across runs that differ only there gets
 * the same record.
 */
export function layoutRecord(options: LayoutOptions): LayoutRecord {
  const o = withDefaults(LAYOUT_DEFAULTS, options);
  const used = (key: ConditionalLayoutSetting) => layoutSettingUsed(key, o);
  const defaultHold = defaultHoldFrames(o.frames);
  return {
    width: o.width,
    height: o.height,
    margin: o.margin,
    font_size: o.fontSize,
    line_height: o.lineHeight,
    frames: o.frames,
    long_prompt: o.longPrompt,
    prompt_page_frames: used("promptPageFrames")
      ? o.promptPageFrames
      : LAYOUT_DEFAULTS.promptPageFrames,
    pace: o.pace,
    hold_frames: used("holdFrames") ? options.holdFrames ?? defaultHold : defaultHold,
    max_units_per_frame: used("maxUnitsPerFrame")
      ? o.maxUnitsPerFrame
      : LAYOUT_DEFAULTS.maxUnitsPerFrame,
    min_font_size: o.minFontSize,
    separator_thickness: o.separatorThickness,
    separator_gap: o.separatorGap,
    align: o.align,
    ink_inset: o.inkInset,
  };
}

const NUMBER_FIELDS = [
  "width",
  "height",
  "margin",
  "font_size",
  "line_height",
  "frames",
  "prompt_page_frames",
  "hold_frames",
  "max_units_per_frame",
  "min_font_size",
  "separator_thickness",
  "separator_gap",
] as const;

/**
 * The layout options a record says (without `measure`, `kind` and `language`, which the line's
 * font and dataset give), or what is wrong with it.
 */
export function layoutFromRecord(record: unknown): LayoutOptions | { problem: string } {
  if (typeof record !== "object" || record === null) return { problem: "no layout record" };
  const r = record as Record<string, unknown>;
  for (const key of NUMBER_FIELDS) {
    if (typeof r[key] !== "number" || !Number.isFinite(r[key])) {
      return { problem: `layout record: ${key} is not a number` };
    }
  }
  if (r.long_prompt !== "paginate" && r.long_prompt !== "shrink" && r.long_prompt !== "skip") {
    return { problem: "layout record: long_prompt is not paginate, shrink or skip" };
  }
  if (r.pace !== "one" && r.pace !== "fit") {
    return { problem: "layout record: pace is not one or fit" };
  }
  // Lines written before alignment varied (#19) have neither: flush left, no inset.
  if (r.align !== undefined && r.align !== "left" && r.align !== "center") {
    return { problem: "layout record: align is not left or center" };
  }
  if (r.ink_inset !== undefined && (typeof r.ink_inset !== "number" || !(r.ink_inset >= 0))) {
    return { problem: "layout record: ink_inset is not a number >= 0" };
  }
  const n = r as unknown as LayoutRecord;
  return {
    width: n.width,
    height: n.height,
    margin: n.margin,
    fontSize: n.font_size,
    lineHeight: n.line_height,
    frames: n.frames,
    longPrompt: n.long_prompt,
    promptPageFrames: n.prompt_page_frames,
    pace: n.pace,
    holdFrames: n.hold_frames,
    maxUnitsPerFrame: n.max_units_per_frame,
    minFontSize: n.min_font_size,
    separatorThickness: n.separator_thickness,
    separatorGap: n.separator_gap,
    align: n.align ?? "left",
    inkInset: n.ink_inset ?? 0,
  };
}
