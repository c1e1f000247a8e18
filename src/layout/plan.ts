import { joinUnits, type RevealUnit, revealUnits } from "../text/mod.ts";
import { monospaceMeasure, type TextMeasure } from "./measure.ts";
import { type WrappedLine, wrapUnits } from "./wrap.ts";

/** What to do with a prompt too long for page 1 with an answer line under it. */
export type LongPromptPolicy = "paginate" | "shrink" | "skip";

/** Geometry and timing of a silent video. Every field has the documented default. */
export interface LayoutOptions {
  /** Frame width in pixels (640). */
  width?: number;
  /** Frame height in pixels (360). */
  height?: number;
  /** Blank border on every side, never inked (15). */
  margin?: number;
  /** Font size in pixels (28). */
  fontSize?: number;
  /** Line pitch in pixels (32); scaled with the font when `shrink` lowers it. */
  lineHeight?: number;
  /** Separator line thickness (2) and the gap above and below it (4). */
  separatorThickness?: number;
  separatorGap?: number;
  /** Frames in the video (193). */
  frames?: number;
  /** Long prompt policy (`paginate`). */
  longPrompt?: LongPromptPolicy;
  /** Frames each prompt-only page is held for (10). */
  promptPageFrames?: number;
  /** `shrink` never goes below this font size (20). */
  minFontSize?: number;
  /** Math answers that do not fit are skipped; story continuations are cut at a sentence end. */
  kind?: "math" | "story";
  language?: "en" | "zh";
  /** Text width function; defaults to the bundled fonts' metrics. */
  measure?: TextMeasure;
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
  /** Answer / continuation as displayed (a story may be cut at a sentence end). */
  responseText: string;
  /** Number of answer reveal units. */
  unitCount: number;
  /** Prompt-only pages before the page with the separator. */
  extraPromptPages: number;
  /** True when a story continuation was cut to fit. */
  truncated: boolean;
}

/** A sample the layout cannot render, with a stable reason key for counting. */
export interface LayoutSkip {
  skip: string;
}

interface Geometry {
  width: number;
  height: number;
  margin: number;
  fontSize: number;
  lineHeight: number;
  separatorThickness: number;
  separatorGap: number;
  measure: TextMeasure;
}

type Line = WrappedLine;

/** Every sentence starts a new line. */
function wrapSentences(sentences: RevealUnit[][], g: Geometry): Line[] {
  const options = { maxWidth: g.width - 2 * g.margin, fontSize: g.fontSize, measure: g.measure };
  return sentences.flatMap((sentence) => wrapUnits(sentence, options));
}

function baselineOffset(g: Geometry): number {
  // Ink of both fonts reaches ~0.82 em above the baseline and 0.25 em below: 25 px of a 32 px
  // line at 28 px keeps descenders of a page's last line off the bottom margin. (Accented
  // capitals reach 0.96 em; on a page's first line the painter's clip keeps them out of the margin.)
  return Math.round(g.fontSize * 0.9);
}

function placeLine(line: Line, top: number, g: Geometry): PlacedText[] {
  const y = top + baselineOffset(g);
  return line.units.map((u) => ({ text: u.text, x: g.margin + u.x, y }));
}

/** Whole prompt line as one placed string, so the painter draws it in one call. */
function placePromptLine(line: Line, top: number, g: Geometry): PlacedText {
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
  return { text, x: g.margin, y };
}

function geometryFor(fontSize: number, options: LayoutOptions): Geometry {
  const baseFont = options.fontSize ?? 28;
  const baseLine = options.lineHeight ?? 32;
  return {
    width: options.width ?? 640,
    height: options.height ?? 360,
    margin: options.margin ?? 15,
    fontSize,
    lineHeight: fontSize === baseFont ? baseLine : Math.round(fontSize * baseLine / baseFont),
    separatorThickness: options.separatorThickness ?? 2,
    separatorGap: options.separatorGap ?? 4,
    measure: options.measure ?? monospaceMeasure,
  };
}

/** Lines of the full text area, and answer lines left under `promptLines` prompt lines. */
function capacity(g: Geometry, promptLines: number): { full: number; answer: number } {
  const area = g.height - 2 * g.margin;
  const full = Math.floor(area / g.lineHeight);
  const sepSlot = 2 * g.separatorGap + g.separatorThickness;
  const answer = Math.floor((area - promptLines * g.lineHeight - sepSlot) / g.lineHeight);
  return { full, answer };
}

function sentenceUnits(sentences: string[], language: "en" | "zh"): RevealUnit[][] {
  return sentences.map((s) => revealUnits(s, language)).filter((u) => u.length > 0);
}

function joinSentences(sentences: RevealUnit[][], language: "en" | "zh"): string {
  return sentences.map((s) => joinUnits(s)).join(language === "zh" ? "" : " ");
}

/**
 * Plan a silent video: wrap the prompt and answer, decide pages and which units each frame shows.
 * `promptSentences` / `responseSentences` are already split at sentence ends. Pure: no pixels.
 */
export function revealPlan(
  promptSentences: string[],
  responseSentences: string[],
  options: LayoutOptions = {},
): RevealPlan | LayoutSkip {
  const language = options.language ?? "en";
  const policy = options.longPrompt ?? "paginate";
  const totalFrames = options.frames ?? 193;
  const promptPageFrames = options.promptPageFrames ?? 10;
  const promptUnits = sentenceUnits(promptSentences, language);
  let responseUnits = sentenceUnits(responseSentences, language);
  if (promptUnits.length === 0) return { skip: "empty prompt" };
  if (responseUnits.length === 0) return { skip: "empty response" };

  let g = geometryFor(options.fontSize ?? 28, options);
  let promptLines = wrapSentences(promptUnits, g);
  if (policy === "shrink") {
    const minFont = Math.min(options.minFontSize ?? 20, g.fontSize);
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
    promptPages.push(rest.slice(0, take));
    rest = rest.slice(take);
  }
  const extraPromptPages = promptPages.length;
  const budget = totalFrames - 1 - extraPromptPages * promptPageFrames;
  const count = (sentences: RevealUnit[][]) => sentences.reduce((n, s) => n + s.length, 0);
  let truncated = false;
  if (count(responseUnits) > budget) {
    if (options.kind !== "story") return { skip: "answer too long" };
    while (responseUnits.length > 0 && count(responseUnits) > budget) {
      responseUnits = responseUnits.slice(0, -1);
      truncated = true;
    }
    if (responseUnits.length === 0) return { skip: "first sentence too long" };
  }
  if (budget < 1) return { skip: "prompt too long" };

  const pages: PageLayout[] = [];
  const frames: FrameRef[] = [];
  for (const lines of promptPages) {
    pages.push({
      prompt: lines.map((line, i) => placePromptLine(line, g.margin + i * g.lineHeight, g)),
      separatorY: null,
      units: [],
    });
    for (let f = 0; f < promptPageFrames; f++) frames.push({ page: pages.length - 1, units: 0 });
  }

  const answerLines = wrapSentences(responseUnits, g);
  const sepY = g.margin + rest.length * g.lineHeight + g.separatorGap;
  const answerTop = sepY + g.separatorThickness + g.separatorGap;
  const firstCapacity = capacity(g, rest.length).answer;
  let page: PageLayout = {
    prompt: rest.map((line, i) => placePromptLine(line, g.margin + i * g.lineHeight, g)),
    separatorY: sepY,
    units: [],
  };
  pages.push(page);
  frames.push({ page: pages.length - 1, units: 0 });
  let lineOnPage = 0;
  let pageCapacity = firstCapacity;
  let top = answerTop;
  for (const line of answerLines) {
    if (lineOnPage === pageCapacity) {
      page = { prompt: [], separatorY: null, units: [] };
      pages.push(page);
      lineOnPage = 0;
      pageCapacity = full;
      top = g.margin;
    }
    for (const unit of placeLine(line, top + lineOnPage * g.lineHeight, g)) {
      page.units.push(unit);
      frames.push({ page: pages.length - 1, units: page.units.length });
    }
    lineOnPage++;
  }
  const last = frames[frames.length - 1];
  while (frames.length < totalFrames) frames.push({ ...last });

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
    unitCount: count(responseUnits),
    extraPromptPages,
    truncated,
  };
}
