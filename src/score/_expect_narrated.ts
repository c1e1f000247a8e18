/**
 * What a narrated manifest line's video (`audio-render`) shows, from the line alone: the prompt
 * pages above the subtitle band (re-laid out with the same pure `promptPages` the renderer uses)
 * and every subtitle cue in the band, each with the frame in the middle of the span it is seen.
 */
import { LAYOUT_DEFAULTS, promptPages, scaledSubtitleBand, splitSubtitle } from "../layout/mod.ts";
import { fileFontMeasure, fontCatalog, fontMeasure } from "../paint/mod.ts";
import { dirname, isAbsolute } from "node:path";
import type { ManifestLine } from "../pipeline/mod.ts";
import { splitSentences } from "../text/mod.ts";
import type { Crop } from "./_ocr.ts";
import { datasetTraits } from "./_expect.ts";

/** One piece of text a narrated video shows: a prompt page or a subtitle cue. */
export interface NarratedRegion {
  part: "prompt" | "subtitle";
  /** A frame that shows it (the middle of its span). */
  frame: number;
  /** Its lines, top to bottom. */
  lines: string[];
}

/** Where and how big each part's text is drawn. */
export interface NarratedArea {
  crop: Crop;
  /** Font size in pixels. */
  fontSize: number;
  /** Light text on a dark ground (the subtitle band). */
  inverted: boolean;
}

/** What a narrated line's video shows, or why it cannot be told. */
export type ExpectedNarrated =
  | {
    language: "en" | "zh";
    kind: "math" | "story";
    frames: number;
    width: number;
    height: number;
    areas: Record<NarratedRegion["part"], NarratedArea>;
    /** Prompt pages, then subtitle cues, each in frame order. */
    regions: NarratedRegion[];
    /** The text spoken (the subtitles joined): the math answer is looked for in it. */
    spoken: string;
  }
  | { problem: string };

interface Cue {
  text: string;
  start: number;
  end: number;
}

/** Whether `line` is a narrated video's (written by `audio-render`). */
export function isNarratedLine(line: ManifestLine): boolean {
  return Array.isArray(line.subtitles);
}

/** The font files of each catalog loaded (`""`: the bundled fonts), by folder. */
const catalogs = new Map<string, Set<string>>();

/**
 * The measure of a `--style varied` prompt's font (`style.font_file`: a bundled font's name or a
 * `--font-dir` font's path), its catalog loaded once so the font is registered; null when the
 * font cannot be loaded here.
 */
function variedMeasure(file: string): ((text: string, size: number) => number) | null {
  const dir = isAbsolute(file) ? dirname(file) : "";
  try {
    let files = catalogs.get(dir);
    if (files === undefined) {
      files = new Set(fontCatalog(dir || undefined).map((f) => f.file));
      catalogs.set(dir, files);
    }
    return files.has(file) ? fileFontMeasure(file) : null;
  } catch {
    return null;
  }
}

function validCue(cue: unknown): cue is Cue {
  const c = cue as Cue;
  return typeof c?.text === "string" && Number.isFinite(c.start) && Number.isFinite(c.end);
}

/**
 * The pages and cues `line`'s video shows, and where. Cues are shown from their start frame to
 * the next cue's (of two starting on one frame only the later is seen, as the painter does); the
 * prompt's pages share the frames in proportion to their lines.
 */
export function expectedNarrated(line: ManifestLine): ExpectedNarrated {
  const { width, height, frames, fps } = line;
  if (![width, height, frames, fps].every((n) => typeof n === "number" && n > 0)) {
    return { problem: "line has no frames/fps/width/height" };
  }
  const cues = line.subtitles as unknown[];
  if (!cues.every(validCue)) return { problem: "line's subtitles are not {text, start, end}" };
  const { language, kind } = datasetTraits(
    line,
    (l) => "truncated" in l && /answer|答案|####/i.test(l.response_text),
  );
  const band = scaledSubtitleBand(width, height);
  const regions: NarratedRegion[] = [];

  const style = line.style as
    | { style?: unknown; margin?: unknown; font_file?: unknown }
    | undefined;
  // A `--style varied` prompt is set in its own font (#19); the band keeps the seed's.
  let measure = fontMeasure;
  if (style?.style === "varied" && typeof style.font_file === "string") {
    const varied = variedMeasure(style.font_file);
    if (varied === null) return { problem: `the prompt's font ${style.font_file} is not here` };
    measure = varied;
  }
  const margin = typeof style?.margin === "number" ? style.margin : LAYOUT_DEFAULTS.margin;
  const fontSize = typeof line.font_size === "number" ? line.font_size : LAYOUT_DEFAULTS.fontSize;
  const sentences = splitSentences(line.prompt_text, language);
  if (line.prompt_text.trim() !== "") {
    // The line records the font size the prompt was set in: laying it out at that size alone
    // gives the renderer's pages.
    const laid = promptPages(sentences, {
      width,
      bottom: band.top,
      margin,
      fontSize,
      minFontSize: fontSize,
      language,
      measure,
    });
    if ("skip" in laid) return { problem: `the prompt could not be laid out: ${laid.skip}` };
    if (typeof line.pages === "number" && laid.pages.length !== line.pages) {
      return {
        problem: `the prompt lays out in ${laid.pages.length} pages, the line says ${line.pages}`,
      };
    }
    const total = laid.pages.reduce((n, page) => n + page.length, 0);
    let before = 0;
    const starts = laid.pages.map((page) => {
      const start = Math.floor((before * frames) / total);
      before += page.length;
      return start;
    });
    laid.pages.forEach((page, i) => {
      const end = i + 1 < starts.length ? starts[i + 1] : frames;
      if (end <= starts[i]) return;
      regions.push({
        part: "prompt",
        frame: Math.floor((starts[i] + end - 1) / 2),
        lines: page.map((l) => l.text),
      });
    });
  }

  const shown = cues.map((cue) => Math.min(frames - 1, Math.floor(cue.start * fps + 1e-6)));
  cues.forEach((cue, i) => {
    const from = shown[i];
    // The next cue's frame ends this one; the last stays to the video's end.
    const to = i + 1 < cues.length ? shown[i + 1] : frames;
    if (to <= from) return;
    const screens = splitSubtitle(cue.text, { language, band, measure: fontMeasure });
    regions.push({
      part: "subtitle",
      frame: Math.floor((from + to - 1) / 2),
      lines: screens.flatMap((s) => s.lines).slice(0, band.maxLines),
    });
  });
  if (regions.length === 0) return { problem: "line has neither prompt text nor subtitles" };
  const glue = language === "zh" ? "" : " ";
  return {
    language,
    kind,
    frames,
    width,
    height,
    areas: {
      prompt: { crop: { x: 0, y: 0, width, height: band.top }, fontSize, inverted: false },
      subtitle: {
        crop: { x: 0, y: band.top, width, height: height - band.top },
        fontSize: band.fontSize,
        inverted: true,
      },
    },
    regions,
    spoken: cues.map((c) => c.text).join(glue),
  };
}
