/**
 * Narrated video frames: the prompt on white in the upper area, and a bottom band (semi-transparent
 * black over white) showing the subtitle being spoken in white. Frames only change when the
 * subtitle (or the prompt page) changes, and then only that region is redrawn and read back.
 */
import { createCanvas, type SKRSContext2D } from "@napi-rs/canvas";
import type { PlacedText } from "../layout/mod.ts";
import { type RevealUnit, revealUnits } from "../text/mod.ts";
import { fontMeasure, fontSpec, registerFonts } from "./fonts.ts";
import type { PaintedFrames } from "./frames.ts";

/** Geometry of the subtitle band; every field has the documented default. */
export interface SubtitleBandOptions {
  /** Frame width (640). */
  width?: number;
  /** Frame height (360); the band sits at its bottom. */
  height?: number;
  /** Subtitle font size in pixels (36). */
  fontSize?: number;
  /** Subtitle line pitch in pixels (44). */
  lineHeight?: number;
  /** Lines one subtitle may take (2). */
  maxLines?: number;
  /** Blank space left and right of the text (20) and above and below it (10). */
  paddingX?: number;
  paddingY?: number;
}

/** The resolved band geometry. */
export interface SubtitleBand {
  width: number;
  /** First row of the band. */
  top: number;
  /** Rows of the band (to the frame's bottom). */
  height: number;
  fontSize: number;
  lineHeight: number;
  maxLines: number;
  /** Widest a subtitle line may be. */
  maxWidth: number;
}

/** Resolve the band geometry: `maxLines` lines plus padding, at the bottom of the frame. */
export function subtitleBand(options: SubtitleBandOptions = {}): SubtitleBand {
  const width = options.width ?? 640;
  const frameHeight = options.height ?? 360;
  const fontSize = options.fontSize ?? 36;
  const lineHeight = options.lineHeight ?? 44;
  const maxLines = options.maxLines ?? 2;
  const height = maxLines * lineHeight + 2 * (options.paddingY ?? 10);
  return {
    width,
    top: frameHeight - height,
    height,
    fontSize,
    lineHeight,
    maxLines,
    maxWidth: width - 2 * (options.paddingX ?? 20),
  };
}

/** One subtitle screen: up to `maxLines` lines, and where it starts in its sentence. */
export interface SubtitlePart {
  lines: string[];
  /** Non-space characters of the sentence before this part (for timing the part). */
  offset: number;
}

/** Options of `splitSubtitle`. */
export interface SplitSubtitleOptions {
  language: "en" | "zh";
  band?: SubtitleBand;
  /** Text width function (default: the bundled fonts). */
  measure?: (text: string, fontSize: number) => number;
}

function nonSpaceLength(text: string): number {
  return [...text.replace(/\s+/gu, "")].length;
}

/** Split a unit wider than a whole line at characters (the only in-word break). */
function splitWide(unit: RevealUnit, maxWidth: number, width: (s: string) => number): RevealUnit[] {
  const pieces: RevealUnit[] = [];
  let current = "";
  for (const char of unit.text) {
    if (current && width(current + char) > maxWidth) {
      pieces.push({ text: current, spaceBefore: pieces.length === 0 ? unit.spaceBefore : false });
      current = "";
    }
    current += char;
  }
  if (current) {
    pieces.push({ text: current, spaceBefore: pieces.length === 0 ? unit.spaceBefore : false });
  }
  return pieces;
}

/**
 * Wrap one sentence for the band and cut it into screens of at most `maxLines` lines, at word
 * (English) or character (Chinese) boundaries. Screens are balanced: a sentence needing three
 * lines shows as two screens of similar length rather than two lines and a leftover.
 */
export function splitSubtitle(text: string, options: SplitSubtitleOptions): SubtitlePart[] {
  const band = options.band ?? subtitleBand();
  const measure = options.measure ?? fontMeasure;
  const width = (s: string) => measure(s, band.fontSize);
  const units = revealUnits(text, options.language).flatMap((unit) =>
    width(unit.text) > band.maxWidth ? splitWide(unit, band.maxWidth, width) : [unit]
  );
  if (units.length === 0) return [{ lines: [text.trim()], offset: 0 }];

  const wrap = (list: RevealUnit[], maxWidth: number): RevealUnit[][] => {
    const lines: RevealUnit[][] = [];
    let line: RevealUnit[] = [];
    for (const unit of list) {
      const candidate = [...line, unit];
      if (line.length > 0 && width(joinLine(candidate)) > maxWidth) {
        lines.push(line);
        line = [unit];
      } else {
        line = candidate;
      }
    }
    if (line.length > 0) lines.push(line);
    return lines;
  };

  const lines = wrap(units, band.maxWidth);
  const screens = Math.ceil(lines.length / band.maxLines);
  // Balance: aim each screen at an equal share of the characters, each still fitting.
  const groups: RevealUnit[][] = [];
  if (screens <= 1) {
    groups.push(units);
  } else {
    const total = units.reduce((n, u) => n + nonSpaceLength(u.text), 0);
    let rest = units;
    for (let s = 0; s < screens - 1 && rest.length > 0; s++) {
      const target = (total * (s + 1)) / screens;
      const before = units.length - rest.length;
      let taken = units.slice(0, before).reduce((n, u) => n + nonSpaceLength(u.text), 0);
      let count = 0;
      while (count < rest.length) {
        const next = taken + nonSpaceLength(rest[count].text);
        // Stop at the boundary nearest the target share.
        if (count > 0 && next > target && next - target > target - taken) break;
        const trial = rest.slice(0, count + 1);
        if (wrap(trial, band.maxWidth).length > band.maxLines) break;
        taken = next;
        count++;
      }
      count = Math.max(1, count);
      groups.push(rest.slice(0, count));
      rest = rest.slice(count);
    }
    // The remainder may still need more than one screen (balancing took less): greedy for it.
    let pending: RevealUnit[] = [];
    for (const unit of rest) {
      const trial = [...pending, unit];
      if (pending.length > 0 && wrap(trial, band.maxWidth).length > band.maxLines) {
        groups.push(pending);
        pending = [unit];
      } else {
        pending = trial;
      }
    }
    if (pending.length > 0) groups.push(pending);
  }

  const parts: SubtitlePart[] = [];
  let offset = 0;
  for (const group of groups) {
    parts.push({ lines: wrap(group, band.maxWidth).map(joinLine), offset });
    offset += group.reduce((n, u) => n + nonSpaceLength(u.text), 0);
  }
  return parts;
}

function joinLine(units: readonly RevealUnit[]): string {
  return units.map((u, i) => (i > 0 && u.spaceBefore ? " " : "") + u.text).join("");
}

/** A subtitle and the first frame it is shown on (until the next cue). */
export interface SubtitleCue {
  frame: number;
  lines: string[];
}

/** A prompt page and the first frame it is shown on (until the next page). */
export interface PromptPage {
  frame: number;
  lines: PlacedText[];
}

/** Everything needed to paint a narrated video. */
export interface NarratedPicture {
  width: number;
  height: number;
  /** Blank border of the upper area, never inked. */
  margin: number;
  /** Prompt font size in pixels. */
  promptFontSize: number;
  band: SubtitleBand;
  /** In frame order, the first at frame 0 (none: an empty upper area). */
  pages: PromptPage[];
  /** In frame order, strictly increasing frames. */
  cues: SubtitleCue[];
  /** Frames in the video. */
  frames: number;
}

/** The band's colour over the white page: black at 60 % (grey 102). */
export const BAND_FILL = "rgba(0,0,0,0.6)";

const idle: SKRSContext2D[] = [];

function acquire(width: number, height: number): SKRSContext2D {
  const index = idle.findIndex((c) => c.canvas.width === width && c.canvas.height === height);
  if (index >= 0) return idle.splice(index, 1)[0];
  registerFonts();
  return createCanvas(width, height).getContext("2d");
}

function release(ctx: SKRSContext2D): void {
  if (idle.length < 64) idle.push(ctx);
}

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Copy a canvas region into a one-byte-per-pixel grey frame. */
function copyGray(ctx: SKRSContext2D, rect: Rect, frame: Uint8Array, width: number): void {
  if (rect.w <= 0 || rect.h <= 0) return;
  const rgba = ctx.getImageData(rect.x, rect.y, rect.w, rect.h).data;
  let i = 0;
  for (let row = 0; row < rect.h; row++) {
    const base = (rect.y + row) * width + rect.x;
    for (let col = 0; col < rect.w; col++, i += 4) frame[base + col] = rgba[i + 1];
  }
}

/**
 * Paint a narrated video as grey frames. The buffer is updated in place: a prompt page is drawn
 * when it first shows, the band when its cue first shows; frames in between are the same bytes.
 */
export function paintNarrated(picture: NarratedPicture): PaintedFrames {
  const { width, height, band, margin } = picture;
  const ctx = acquire(width, height);
  const frame = new Uint8Array(width * height);
  const upper: Rect = { x: 0, y: 0, w: width, h: band.top };
  const bandRect: Rect = { x: 0, y: band.top, w: width, h: height - band.top };
  const baseline = Math.round((band.lineHeight + 0.55 * band.fontSize) / 2);

  function drawUpper(page: PromptPage | undefined): void {
    ctx.save();
    ctx.fillStyle = "#FFFFFF";
    ctx.fillRect(upper.x, upper.y, upper.w, upper.h);
    ctx.beginPath();
    ctx.rect(margin, margin, width - 2 * margin, band.top - 2 * margin);
    ctx.clip();
    ctx.fillStyle = "#000000";
    ctx.font = fontSpec(picture.promptFontSize);
    ctx.textAlign = "left";
    ctx.textBaseline = "alphabetic";
    for (const line of page?.lines ?? []) ctx.fillText(line.text, line.x, line.y);
    ctx.restore();
    copyGray(ctx, upper, frame, width);
  }

  function drawBand(lines: string[]): void {
    ctx.save();
    ctx.beginPath();
    ctx.rect(bandRect.x, bandRect.y, bandRect.w, bandRect.h);
    ctx.clip();
    ctx.fillStyle = "#FFFFFF";
    ctx.fillRect(bandRect.x, bandRect.y, bandRect.w, bandRect.h);
    ctx.fillStyle = BAND_FILL;
    ctx.fillRect(bandRect.x, bandRect.y, bandRect.w, bandRect.h);
    ctx.fillStyle = "#FFFFFF";
    ctx.font = fontSpec(band.fontSize);
    ctx.textAlign = "center";
    ctx.textBaseline = "alphabetic";
    const shown = lines.slice(0, band.maxLines);
    const top = band.top + Math.round((band.height - shown.length * band.lineHeight) / 2);
    shown.forEach((line, i) => {
      ctx.fillText(line, width / 2, top + i * band.lineHeight + baseline);
    });
    ctx.restore();
    copyGray(ctx, bandRect, frame, width);
  }

  function* generate(): Generator<Uint8Array> {
    let page = -1;
    let cue = -1;
    try {
      for (let f = 0; f < picture.frames; f++) {
        let nextPage = page;
        while (nextPage + 1 < picture.pages.length && picture.pages[nextPage + 1].frame <= f) {
          nextPage++;
        }
        if (f === 0 || nextPage !== page) drawUpper(picture.pages[nextPage]);
        let nextCue = cue;
        while (nextCue + 1 < picture.cues.length && picture.cues[nextCue + 1].frame <= f) nextCue++;
        if (f === 0 || nextCue !== cue) drawBand(picture.cues[nextCue]?.lines ?? []);
        page = nextPage;
        cue = nextCue;
        yield frame;
      }
    } finally {
      release(ctx);
    }
  }

  return { pixelFormat: "gray", width, height, frames: generate() };
}
