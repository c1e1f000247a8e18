import { withDefaults } from "../defaults/mod.ts";
import { joinUnits, type RevealUnit, revealUnits } from "../text/mod.ts";
import { monospaceMeasure, type TextMeasure } from "./_measure.ts";
import { type WrappedLine, wrapUnits } from "./_wrap.ts";

/** What to do with a prompt too long for page 1 with an answer line under it. */
export type LongPromptPolicy = "paginate" | "shrink" | "skip";

/**
 * How the answer is revealed: `one` unit per frame (then held), or `fit`: spread evenly so the
 * whole answer is on screen `holdFrames` before the end.
 */
export type RevealPace = "one" | "fit";

/** Hold of `fit` when none is given: about 10% of the frames, at least one. */
export function defaultHoldFrames(frames: number): number {
  return Math.max(1, Math.round(frames / 10));
}

/**
 * Geometry and timing of a silent video that a command resolves once (its flags and
 * `videoword.jsonc`); every field is set.
 */
export interface LayoutSettings {
  /**
   * Frame width in pixels.
   * @default {640}
   */
  width: number;
  /**
   * Frame height in pixels.
   * @default {360}
   */
  height: number;
  /**
   * Blank border on every side, never inked.
   * @default {15}
   */
  margin: number;
  /**
   * Font size in pixels.
   * @default {28}
   */
  fontSize: number;
  /**
   * Line pitch in pixels; scaled with the font when `shrink` lowers it.
   * @default {32}
   */
  lineHeight: number;
  /**
   * Frames in the video.
   * @default {193}
   */
  frames: number;
  /**
   * Long prompt policy.
   * @default {"paginate"}
   */
  longPrompt: LongPromptPolicy;
  /**
   * Frames each prompt-only page is held for.
   * @default {10}
   */
  promptPageFrames: number;
  /**
   * Reveal pace.
   * @default {"one"}
   */
  pace: RevealPace;
  /**
   * `fit`: frames the complete answer is held at the end.
   * @default {defaultHoldFrames(frames)} (about 10% of the frames, at least one)
   */
  holdFrames: number;
  /**
   * `fit`: most answer units revealed in one frame.
   * @default {4}
   */
  maxUnitsPerFrame: number;
}

/**
 * Where a line sits between the margins: `left` (flush left, ragged right) or `center`. The line
 * breaks are the same either way; only each line's left edge moves.
 */
export type TextAlign = "left" | "center";

/** Everything `revealPlan` reads; unset fields take {@link LAYOUT_DEFAULTS}. */
export interface LayoutOptions extends Partial<LayoutSettings> {
  /**
   * Line alignment (a `--style varied` sample's; the seed's look is flush left).
   * @default {"left"}
   */
  align?: TextAlign;
  /**
   * Room kept between the margins and the text, in ems, on every side: glyphs of some faces
   * reach past their advance (a swash, a 'J' tucked under the letter before) or above and below
   * the line's nominal ink, and the painter's clip would cut them. The seed's font needs none.
   * @default {0}
   */
  inkInset?: number;
  /**
   * Separator line thickness.
   * @default {2}
   */
  separatorThickness?: number;
  /**
   * The gap above and below the separator.
   * @default {4}
   */
  separatorGap?: number;
  /**
   * `shrink` never goes below this font size.
   * @default {20}
   */
  minFontSize?: number;
  /**
   * Math answers that do not fit are skipped; story continuations are cut at a sentence end.
   * @default {"math"}
   */
  kind?: "math" | "story";
  /** @default {"en"} */
  language?: "en" | "zh";
  /**
   * Text width function.
   * @default {monospaceMeasure}
   */
  measure?: TextMeasure;
}

/** The one home of the layout defaults (the CLI's option table reads them from here). */
export const LAYOUT_DEFAULTS: Readonly<Required<Omit<LayoutOptions, "holdFrames">>> = {
  width: 640,
  height: 360,
  margin: 15,
  fontSize: 28,
  lineHeight: 32,
  frames: 193,
  longPrompt: "paginate",
  promptPageFrames: 10,
  pace: "one",
  maxUnitsPerFrame: 4,
  separatorThickness: 2,
  separatorGap: 4,
  minFontSize: 20,
  kind: "math",
  language: "en",
  measure: monospaceMeasure,
  align: "left",
  inkInset: 0,
};

/** The settings `revealPlan` reads only when another setting has a certain value. */
export type ConditionalLayoutSetting = "promptPageFrames" | "holdFrames" | "maxUnitsPerFrame";

/**
 * Whether `revealPlan` reads `key` under `settings`: prompt-only pages (and so their frames)
 * exist only under `longPrompt: "paginate"`; the hold and the units per frame shape
 * `pace: "fit"` only. The one rule both for the CLI's warning about a value it ignores and for
 * the fingerprint, which counts an ignored value as its default.
 */
export function layoutSettingUsed(
  key: ConditionalLayoutSetting,
  settings: Pick<LayoutSettings, "longPrompt" | "pace">,
): boolean {
  return key === "promptPageFrames" ? settings.longPrompt === "paginate" : settings.pace === "fit";
}

/** A piece of text at an absolute position (x = left edge, y = baseline). */
export interface PlacedText {
  text: string;
  x: number;
  y: number;
}

/** One page: prompt lines, an optional separator, and the answer units it holds, in reveal order. */
export interface PageLayout {
  prompt: PlacedText[];
  /** Top y of the separator line, or null on prompt-only and answer-only pages. */
  separatorY: number | null;
  units: PlacedText[];
}

/** What one frame shows: a page and how many of that page's units are visible. */
export interface FrameRef {
  page: number;
  units: number;
}

/** The complete, pixel-free description of a silent video. */
export interface RevealPlan {
  width: number;
  height: number;
  /** Blank border; the painter clips to the area inside it. */
  margin: number;
  fontSize: number;
  lineHeight: number;
  separatorThickness: number;
  pages: PageLayout[];
  frames: FrameRef[];
  /** Prompt as displayed. */
  promptText: string;
  /** The prompt's sentences as displayed, each starting a new line (`promptText` joins them). */
  promptSentences: string[];
  /** Answer / continuation as displayed (a story may be cut at a sentence end). */
  responseText: string;
  /** The answer's sentences as displayed, each starting a new line (after any cut). */
  responseSentences: string[];
  /** Number of answer reveal units. */
  unitCount: number;
  /** Prompt-only pages before the page with the separator. */
  extraPromptPages: number;
  /** True when a story continuation was cut to fit. */
  truncated: boolean;
  pace: RevealPace;
  /** Fewest and most answer units newly shown by one frame of the reveal. */
  unitsPerFrame: { min: number; max: number };
  /** 0-based index of the first frame showing the whole answer. */
  revealEndFrame: number;
}

/** A sample the layout cannot render, with a stable reason key for counting. */
export interface LayoutSkip {
  skip: string;
}

/** Resolved geometry of one layout (shared with the narrated prompt pages; not in mod.ts). */
export interface Geometry {
  width: number;
  height: number;
  margin: number;
  fontSize: number;
  lineHeight: number;
  separatorThickness: number;
  separatorGap: number;
  measure: TextMeasure;
  /** Line alignment; absent: flush left. */
  align?: TextAlign;
  /** Pixels kept free inside the margins on every side (see `inkInset`); absent: 0. */
  inset?: number;
}

/** Left edge and width of the text lines (inside the margins and the ink inset). */
function textColumn(g: Geometry): { left: number; width: number } {
  const inset = g.inset ?? 0;
  return { left: g.margin + inset, width: g.width - 2 * (g.margin + inset) };
}

/** Top of the first line and the height the lines stack in (inside the margins and inset). */
function textRows(g: Geometry): { top: number; height: number } {
  const inset = g.inset ?? 0;
  return { top: g.margin + inset, height: g.height - 2 * (g.margin + inset) };
}

type Line = WrappedLine;

/** Every sentence starts a new line. */
export function wrapSentences(sentences: RevealUnit[][], g: Geometry): Line[] {
  const options = { maxWidth: textColumn(g).width, fontSize: g.fontSize, measure: g.measure };
  return sentences.flatMap((sentence) => wrapUnits(sentence, options));
}

function baselineOffset(g: Geometry): number {
  // Ink of both fonts reaches ~0.82 em above the baseline and 0.25 em below: 25 px of a 32 px
  // line at 28 px keeps descenders of a page's last line off the bottom margin. (Accented
  // capitals reach 0.96 em; on a page's first line the painter's clip keeps them out of the margin.)
  return Math.round(g.fontSize * 0.9);
}

/**
 * How far right of the margin a line `width` wide starts: 0 flush left; centred, half the room
 * left over (whole pixels, so never past the right margin). A line wider than the text area
 * (a single unbreakable piece) starts at the margin whatever the alignment.
 */
function alignOffset(width: number, g: Geometry): number {
  if (g.align !== "center") return 0;
  return Math.max(0, Math.floor((textColumn(g).width - width) / 2));
}

function placeLine(line: Line, top: number, g: Geometry): PlacedText[] {
  const y = top + baselineOffset(g);
  const x = textColumn(g).left + alignOffset(line.width, g);
  return line.units.map((u) => ({ text: u.text, x: x + u.x, y }));
}

/** Whole prompt line as one placed string, so the painter draws it in one call. */
export function placePromptLine(line: Line, top: number, g: Geometry): PlacedText {
  const y = top + baselineOffset(g);
  let text = "";
  let x = 0;
  const space = g.measure(" ", g.fontSize);
  for (const unit of line.units) {
    // Re-create the gaps as spaces: monospace keeps positions exact.
    const gap = unit.x - x;
    if (text.length > 0 && gap > 0) text += " ".repeat(Math.max(1, Math.round(gap / space)));
    text += unit.text;
    x = unit.x + g.measure(unit.text, g.fontSize);
  }
  // Aligned by the width of the string as drawn (its re-created spaces included).
  const left = textColumn(g).left + alignOffset(g.measure(text, g.fontSize), g);
  return { text, x: left, y };
}

export function geometryFor(fontSize: number, layoutOptions: LayoutOptions): Geometry {
  const options = withDefaults(LAYOUT_DEFAULTS, layoutOptions);
  const baseFont = options.fontSize;
  const baseLine = options.lineHeight;
  return {
    width: options.width,
    height: options.height,
    margin: options.margin,
    fontSize,
    lineHeight: fontSize === baseFont ? baseLine : Math.round(fontSize * baseLine / baseFont),
    separatorThickness: options.separatorThickness,
    separatorGap: options.separatorGap,
    measure: options.measure,
    align: options.align,
    inset: Math.ceil(fontSize * options.inkInset),
  };
}

/** Lines of the full text area, and answer lines left under `promptLines` prompt lines. */
function capacity(g: Geometry, promptLines: number): { full: number; answer: number } {
  const area = textRows(g).height;
  const full = Math.floor(area / g.lineHeight);
  const sepSlot = 2 * g.separatorGap + g.separatorThickness;
  const answer = Math.floor((area - promptLines * g.lineHeight - sepSlot) / g.lineHeight);
  return { full, answer };
}

export function sentenceUnits(sentences: string[], language: "en" | "zh"): RevealUnit[][] {
  return sentences.map((s) => revealUnits(s, language)).filter((u) => u.length > 0);
}

function joinSentences(sentences: RevealUnit[][], language: "en" | "zh"): string {
  return sentences.map((s) => joinUnits(s)).join(language === "zh" ? "" : " ");
}

function shownSentences(sentences: RevealUnit[][]): string[] {
  return sentences.map((s) => joinUnits(s));
}

/**
 * Why `options` can never lay out a single row (one line of error naming the options), or null.
 * Checked once, up front, so an impossible geometry fails at once instead of looping: the text
 * area inside the margins must hold a glyph of the font size across and down, and a prompt line,
 * the separator and an answer line one above the other.
 */
export function layoutProblem(options: LayoutOptions = {}): string | null {
  const g = geometryFor(options.fontSize ?? 28, options);
  const areaWidth = g.width - 2 * g.margin;
  const areaHeight = g.height - 2 * g.margin;
  const frame = `a ${g.width}x${g.height} frame`;
  if (areaWidth <= 0 || areaHeight <= 0) {
    return `--margin ${g.margin} leaves no room for text in ${frame} ` +
      `(2 × ${g.margin} ≥ ${areaWidth <= 0 ? `width ${g.width}` : `height ${g.height}`})`;
  }
  if (g.fontSize > areaWidth || g.fontSize > areaHeight) {
    return `--font-size ${g.fontSize} does not fit the ${areaWidth}x${areaHeight} text area ` +
      `inside --margin ${g.margin} of ${frame}`;
  }
  if (capacity(g, 1).answer < 1) {
    const needed = 2 * g.lineHeight + 2 * g.separatorGap + g.separatorThickness;
    return `no line fits: a prompt line, the separator and an answer line need ${needed} px ` +
      `(--line-height ${g.lineHeight}), the text area inside --margin ${g.margin} of ${frame} ` +
      `is ${areaHeight} px high`;
  }
  return null;
}

/**
 * Plan a silent video: wrap the prompt and answer, decide pages and which units each frame shows.
 * `promptSentences` / `responseSentences` are already split at sentence ends. Pure: no pixels.
 */
export function revealPlan(
  promptSentences: string[],
  responseSentences: string[],
  layoutOptions: LayoutOptions = {},
): RevealPlan | LayoutSkip {
  const options = withDefaults(LAYOUT_DEFAULTS, layoutOptions);
  const language = options.language;
  const policy = options.longPrompt;
  const totalFrames = options.frames;
  const promptPageFrames = options.promptPageFrames;
  const promptUnits = sentenceUnits(promptSentences, language);
  let responseUnits = sentenceUnits(responseSentences, language);
  if (promptUnits.length === 0) return { skip: "empty prompt" };
  if (responseUnits.length === 0) return { skip: "empty response" };

  let g = geometryFor(options.fontSize, options);
  let promptLines = wrapSentences(promptUnits, g);
  if (policy === "shrink") {
    const minFont = Math.min(options.minFontSize, g.fontSize);
    while (capacity(g, promptLines.length).answer < 1 && g.fontSize > minFont) {
      g = geometryFor(g.fontSize - 1, options);
      promptLines = wrapSentences(promptUnits, g);
    }
    if (capacity(g, promptLines.length).answer < 1) return { skip: "prompt too long" };
  } else if (policy === "skip") {
    // The replaced tool's rule: at least three answer lines under the prompt on page 1.
    if (capacity(g, promptLines.length).answer < 3) return { skip: "prompt too long" };
  }

  // Prompt-only pages take full pages, leaving at least one prompt line for the separator page.
  const { full } = capacity(g, 0);
  const promptPages: Line[][] = [];
  let rest = promptLines;
  while (capacity(g, rest.length).answer < 1) {
    const take = Math.min(full, rest.length - 1);
    // Bounded: every pass takes at least one line (layoutProblem rules out geometries where
    // none fits, but a plan must never loop whatever it is given).
    if (take < 1) return { skip: "prompt too long" };
    promptPages.push(rest.slice(0, take));
    rest = rest.slice(take);
  }
  const extraPromptPages = promptPages.length;
  // The first answer unit can appear on the frame after the empty separator page.
  const firstRevealFrame = extraPromptPages * promptPageFrames + 1;
  const pace = options.pace;
  const fit = pace === "fit";
  // The hold depends on the frames, so it is the one default not in LAYOUT_DEFAULTS.
  const hold = options.holdFrames ?? defaultHoldFrames(totalFrames);
  const slots = fit ? totalFrames - hold - firstRevealFrame : totalFrames - firstRevealFrame;
  const maxPerFrame = fit ? options.maxUnitsPerFrame : 1;
  const count = (sentences: RevealUnit[][]) => sentences.reduce((n, s) => n + s.length, 0);
  let truncated = false;
  const cut = (): boolean => {
    if (options.kind !== "story" || responseUnits.length <= 1) return false;
    responseUnits = responseUnits.slice(0, -1);
    truncated = true;
    return true;
  };
  while (count(responseUnits) > slots * maxPerFrame) {
    if (!cut()) {
      return { skip: options.kind === "story" ? "first sentence too long" : "answer too long" };
    }
  }

  if (slots < 1) return { skip: "prompt too long" };

  const promptPageLayouts: PageLayout[] = promptPages.map((lines) => ({
    prompt: lines.map((line, i) => placePromptLine(line, textRows(g).top + i * g.lineHeight, g)),
    separatorY: null,
    units: [],
  }));
  const paceWith = (balanced: boolean) => {
    const answer = layoutAnswer(responseUnits, rest, g, balanced);
    // Placed units: a word wider than a line is revealed as the pieces it was broken into.
    const placed = answer.pageEnds[answer.pageEnds.length - 1];
    if (!fit && placed > slots) return null;
    const steps = revealSteps(answer.pageEnds, fit ? slots : placed, maxPerFrame);
    return steps ? { answer, steps } : null;
  };
  // A short last page cannot take an even share of a fast reveal: balance the pages, then cut a
  // story further or skip math.
  let paced = paceWith(false) ?? (fit ? paceWith(true) : null);
  while (!paced) {
    if (!cut()) {
      return { skip: options.kind === "story" ? "first sentence too long" : "answer too long" };
    }
    paced = paceWith(false) ?? paceWith(true);
  }
  const { answer, steps } = paced;

  const pages = [...promptPageLayouts, ...answer.pages];
  const frames: FrameRef[] = [];
  for (let p = 0; p < extraPromptPages; p++) {
    for (let f = 0; f < promptPageFrames; f++) frames.push({ page: p, units: 0 });
  }
  frames.push({ page: extraPromptPages, units: 0 });
  let shown = 0;
  for (const step of steps) {
    shown += step;
    frames.push(frameShowing(shown, answer.pageEnds, extraPromptPages));
  }
  const last = frames[frames.length - 1];
  while (frames.length < totalFrames) frames.push({ ...last });
  // Videos always have the frame count asked for.
  if (frames.length !== totalFrames) return { skip: "answer too long" };
  const unitCount = count(responseUnits);

  return {
    width: g.width,
    height: g.height,
    margin: g.margin,
    fontSize: g.fontSize,
    lineHeight: g.lineHeight,
    separatorThickness: g.separatorThickness,
    pages,
    frames,
    promptText: joinSentences(promptUnits, language),
    responseText: joinSentences(responseUnits, language),
    promptSentences: shownSentences(promptUnits),
    responseSentences: shownSentences(responseUnits),
    unitCount,
    extraPromptPages,
    truncated,
    pace,
    unitsPerFrame: { min: Math.min(...steps), max: Math.max(...steps) },
    revealEndFrame: firstRevealFrame + steps.length - 1,
  };
}

/** Answer pages (the first under the prompt's last lines) and the unit count at each page's end. */
function layoutAnswer(
  responseUnits: RevealUnit[][],
  promptLines: Line[],
  g: Geometry,
  balanced: boolean,
): { pages: PageLayout[]; pageEnds: number[] } {
  const { full } = capacity(g, 0);
  const answerLines = wrapSentences(responseUnits, g);
  const firstCapacity = capacity(g, promptLines.length).answer;
  // Lines per page: as many as fit, or (balanced) the same page count with lines shared evenly.
  const pageCount = answerLines.length <= firstCapacity
    ? 1
    : 1 + Math.ceil((answerLines.length - firstCapacity) / full);
  const perPage = (page: number, linesLeft: number): number => {
    const cap = page === 0 ? firstCapacity : full;
    return balanced ? Math.min(cap, Math.ceil(linesLeft / (pageCount - page))) : cap;
  };
  const sepY = textRows(g).top + promptLines.length * g.lineHeight + g.separatorGap;
  const answerTop = sepY + g.separatorThickness + g.separatorGap;
  let page: PageLayout = {
    prompt: promptLines.map((line, i) =>
      placePromptLine(line, textRows(g).top + i * g.lineHeight, g)
    ),
    separatorY: sepY,
    units: [],
  };
  const pages = [page];
  const pageEnds: number[] = [];
  let total = 0;
  let lineOnPage = 0;
  let pageCapacity = perPage(0, answerLines.length);
  let top = answerTop;
  for (const [i, line] of answerLines.entries()) {
    if (lineOnPage === pageCapacity) {
      pageEnds.push(total);
      page = { prompt: [], separatorY: null, units: [] };
      pages.push(page);
      lineOnPage = 0;
      pageCapacity = perPage(pages.length - 1, answerLines.length - i);
      top = textRows(g).top;
    }
    for (const unit of placeLine(line, top + lineOnPage * g.lineHeight, g)) {
      page.units.push(unit);
      total++;
    }
    lineOnPage++;
  }
  pageEnds.push(total);
  return { pages, pageEnds };
}

/**
 * New answer units per reveal frame, for answers laid out on pages ending at `pageEnds`
 * (cumulative unit counts): at most `slots` frames, every count `a` or `a + 1` for one `a`, none
 * above `maxPerFrame`, and no frame spanning a page turn (so every page is seen whole). Uses all
 * `slots` frames when the pages allow it, else the most that do (the reveal then ends earlier).
 * Null when no spread keeps within `maxPerFrame`.
 */
export function revealSteps(
  pageEnds: number[],
  slots: number,
  maxPerFrame: number,
): number[] | null {
  const sizes = pageEnds.map((end, i) => end - (i === 0 ? 0 : pageEnds[i - 1]));
  const total = pageEnds[pageEnds.length - 1];
  for (let frames = slots; frames >= 1; frames--) {
    const low = Math.floor(total / frames);
    // Fewer frames only raise the rate.
    if (low + (total % frames === 0 ? 0 : 1) > maxPerFrame) return null;
    const perPage = framesPerPage(sizes, frames, low);
    if (perPage) return perPage.flatMap((n, page) => spread(sizes[page], n));
  }
  return null;
}

/** Frames for each page so that every page's rate lies in [low, low + 1]; null if impossible. */
function framesPerPage(sizes: number[], frames: number, low: number): number[] | null {
  const least = sizes.map((n) => Math.ceil(n / (low + 1)));
  const most = sizes.map((n) => (low === 0 ? Infinity : Math.floor(n / low)));
  if (least.some((lo, i) => lo > most[i])) return null;
  let left = frames - least.reduce((a, b) => a + b, 0);
  if (left < 0 || most.reduce((a, b) => a + b, 0) < frames) return null;
  const perPage = [...least];
  while (left > 0) {
    // Give the next frame to the most crowded page that can take one.
    let best = -1;
    for (let i = 0; i < sizes.length; i++) {
      if (perPage[i] >= most[i]) continue;
      if (best < 0 || sizes[i] / perPage[i] > sizes[best] / perPage[best]) best = i;
    }
    perPage[best]++;
    left--;
  }
  return perPage;
}

/** `units` over `frames` frames, evenly: counts differ by at most one. */
function spread(units: number, frames: number): number[] {
  const steps: number[] = [];
  for (let k = 0; k < frames; k++) {
    steps.push(Math.floor((k + 1) * units / frames) - Math.floor(k * units / frames));
  }
  return steps;
}

/** The frame showing the first `shown` answer units: the page holding the last one. */
function frameShowing(shown: number, pageEnds: number[], firstAnswerPage: number): FrameRef {
  if (shown === 0) return { page: firstAnswerPage, units: 0 };
  const page = pageEnds.findIndex((end) => end >= shown);
  const pageStart = page === 0 ? 0 : pageEnds[page - 1];
  return { page: firstAnswerPage + page, units: shown - pageStart };
}
