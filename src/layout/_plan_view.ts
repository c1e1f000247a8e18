/**
 * The reveal plan as lines: the stable, documented JSON shape `videoword preview --json` prints
 * and tests check layout through.
 */
import { monospaceMeasure, type TextMeasure } from "./_measure.ts";
import type { PlacedText, RevealPlan } from "./_plan.ts";

/** A unit on a line: its text, left edge, and the first frame that shows it. */
export interface UnitView {
  text: string;
  x: number;
  first_frame: number;
}

/** One displayed line: its text as drawn (units joined with their spaces), left edge, baseline. */
export interface LineView {
  text: string;
  x: number;
  y: number;
  /** Prompt lines appear whole: one unit per line, shown from the page's first frame. */
  units: UnitView[];
}

/** One page of a silent video. */
export interface PageView {
  /** First frame showing this page. */
  first_frame: number;
  /** Last frame showing this page. */
  last_frame: number;
  prompt_lines: LineView[];
  /** Top row of the separator, or null on pages without one. */
  separator_y: number | null;
  answer_lines: LineView[];
}

/** A silent video's layout plan in lines; every field is plain JSON. */
export interface PlanView {
  width: number;
  height: number;
  margin: number;
  font_size: number;
  line_height: number;
  frames: number;
  /** First frame showing every answer unit (the reveal's end). */
  reveal_end_frame: number;
  /** Frames at which a new page first shows (the first page's is 0). */
  page_turn_frames: number[];
  prompt_text: string;
  response_text: string;
  unit_count: number;
  truncated: boolean;
  pages: PageView[];
}

/** Options of `planView`. */
export interface PlanViewOptions {
  /**
   * The measure the plan was laid out with (to tell the spaces between units apart).
   * @default monospaceMeasure
   */
  measure?: TextMeasure;
}

/**
 * Describe a reveal plan as pages of lines with the frame each unit first shows.
 *
 * @example
 * ```ts
 * import { planView, revealPlan } from "./mod.ts";
 * const plan = revealPlan(["What is 2 + 2?"], ["2 + 2 = 4."]);
 * if (!("skip" in plan)) planView(plan).pages[0].answer_lines[0].text; // "2 + 2 = 4."
 * ```
 */
export function planView(plan: RevealPlan, options: PlanViewOptions = {}): PlanView {
  const measure = options.measure ?? monospaceMeasure;
  const space = measure(" ", plan.fontSize);
  const pages: PageView[] = plan.pages.map((page, index) => {
    const first = plan.frames.findIndex((f) => f.page === index);
    let last = first;
    while (last + 1 < plan.frames.length && plan.frames[last + 1].page === index) last++;
    const shown = (k: number) => plan.frames.findIndex((f) => f.page === index && f.units > k);
    const answer: LineView[] = [];
    let previous: PlacedText | null = null;
    page.units.forEach((unit, k) => {
      const unitView = { text: unit.text, x: unit.x, first_frame: shown(k) };
      if (previous === null || unit.y !== previous.y) {
        answer.push({ text: unit.text, x: unit.x, y: unit.y, units: [unitView] });
      } else {
        const line = answer[answer.length - 1];
        const end = previous.x + measure(previous.text, plan.fontSize);
        line.text += (unit.x - end > space / 2 ? " " : "") + unit.text;
        line.units.push(unitView);
      }
      previous = unit;
    });
    return {
      first_frame: first,
      last_frame: last,
      prompt_lines: page.prompt.map((line) => ({
        text: line.text,
        x: line.x,
        y: line.y,
        units: [{ text: line.text, x: line.x, first_frame: first }],
      })),
      separator_y: page.separatorY,
      answer_lines: answer,
    };
  });
  const revealEnd = plan.frames.findIndex((f, i) =>
    i > 0 && f.page === plan.pages.length - 1 &&
    f.units === plan.pages[plan.pages.length - 1].units.length
  );
  return {
    width: plan.width,
    height: plan.height,
    margin: plan.margin,
    font_size: plan.fontSize,
    line_height: plan.lineHeight,
    frames: plan.frames.length,
    reveal_end_frame: revealEnd,
    page_turn_frames: pages.map((p) => p.first_frame),
    prompt_text: plan.promptText,
    response_text: plan.responseText,
    unit_count: plan.unitCount,
    truncated: plan.truncated,
    pages,
  };
}
