/**
 * Narrated video frames: the prompt in the upper area (black on white, or a varied sample's font,
 * colours and background), and a bottom band (semi-transparent black over white) showing the
 * subtitle being spoken in white, the same whatever the prompt's look. Frames only change when the
 * subtitle (or the prompt page) changes, and then only that region is redrawn and read back.
 */
import type { PlacedText, SubtitleBand } from "../layout/mod.ts";
import {
  acquireCanvas,
  copyRegion,
  type PixelFormat,
  type Rect,
  releaseCanvas,
} from "./_canvas.ts";
import { fontSpec } from "./_fonts.ts";
import { fileFontSpec } from "./_font_catalog.ts";
import { paintBackground, type PaintedFrames, type PaintLook } from "./_frames.ts";

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
  /** A varied prompt area's colours and look (`--style varied`); absent: black on white. */
  style?: NarratedStyle;
}

/** The prompt area's look of a varied narrated video, as plain data. */
export interface NarratedStyle {
  /** Text colour, `#RRGGBB`. */
  foreground: string;
  /** Background colour (a gradient's top), `#RRGGBB`. */
  background: string;
  look: PaintLook;
}

function rgb(colour: string): [number, number, number] {
  const n = parseInt(colour.replace("#", ""), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** The band's colour over the white page: black at 60 % (grey 102). */
export const BAND_FILL = "rgba(0,0,0,0.6)";

/**
 * Paint a narrated video: grey frames, or RGB when a varied prompt area has colour. The buffer is
 * updated in place: a prompt page is drawn when it first shows, the band when its cue first shows;
 * frames in between are the same bytes.
 */
export function paintNarrated(picture: NarratedPicture): PaintedFrames {
  const { width, height, band, margin, style } = picture;
  const fg = style ? rgb(style.foreground) : null;
  const bg = style ? rgb(style.background) : null;
  const end = style?.look.backgroundEnd ? rgb(style.look.backgroundEnd) : null;
  const grey = (c: [number, number, number] | null) =>
    c === null || (c[0] === c[1] && c[1] === c[2]);
  const format: PixelFormat = grey(fg) && grey(bg) && grey(end) ? "gray" : "rgb24";
  const ctx = acquireCanvas(width, height);
  const frame = new Uint8Array(width * height * (format === "gray" ? 1 : 3));
  const upper: Rect = { x: 0, y: 0, w: width, h: band.top };
  const bandRect: Rect = { x: 0, y: band.top, w: width, h: height - band.top };
  const baseline = Math.round((band.lineHeight + 0.55 * band.fontSize) / 2);

  function drawUpper(page: PromptPage | undefined): void {
    ctx.save();
    if (style) {
      ctx.beginPath();
      ctx.rect(upper.x, upper.y, upper.w, upper.h);
      ctx.clip();
      paintBackground(ctx, { width, height: band.top, bg: bg!, fg: fg!, end, look: style.look });
    } else {
      ctx.fillStyle = "#FFFFFF";
      ctx.fillRect(upper.x, upper.y, upper.w, upper.h);
    }
    ctx.beginPath();
    ctx.rect(margin, margin, width - 2 * margin, band.top - 2 * margin);
    ctx.clip();
    ctx.fillStyle = style ? style.foreground : "#000000";
    ctx.font = style
      ? fileFontSpec(style.look.fontFile, picture.promptFontSize)
      : fontSpec(picture.promptFontSize);
    ctx.textAlign = "left";
    ctx.textBaseline = "alphabetic";
    for (const line of page?.lines ?? []) ctx.fillText(line.text, line.x, line.y);
    ctx.restore();
    copyRegion(ctx, upper, frame, { format, width });
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
    copyRegion(ctx, bandRect, frame, { format, width });
  }

  const changes: Rect[] = [];

  function* generate(): Generator<Uint8Array> {
    let page = -1;
    let cue = -1;
    try {
      for (let f = 0; f < picture.frames; f++) {
        let nextPage = page;
        while (nextPage + 1 < picture.pages.length && picture.pages[nextPage + 1].frame <= f) {
          nextPage++;
        }
        changes.length = 0;
        if (f === 0 || nextPage !== page) {
          drawUpper(picture.pages[nextPage]);
          changes.push(upper);
        }
        let nextCue = cue;
        while (nextCue + 1 < picture.cues.length && picture.cues[nextCue + 1].frame <= f) nextCue++;
        if (f === 0 || nextCue !== cue) {
          drawBand(picture.cues[nextCue]?.lines ?? []);
          changes.push(bandRect);
        }
        page = nextPage;
        cue = nextCue;
        yield frame;
      }
    } finally {
      releaseCanvas(ctx);
    }
  }

  return { pixelFormat: format, width, height, frames: generate(), changes };
}
