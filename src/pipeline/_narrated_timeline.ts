/** A narrated video's timeline, from a narration's timings to frames: pure, no TTS, no pixels. */
import { type PlacedText, splitSubtitle, type SubtitleBand } from "../layout/mod.ts";
import type { PromptPage, SubtitleCue } from "../paint/mod.ts";
import type { TextMeasure } from "../layout/mod.ts";
import { type Narration, partStarts, type TimedSpan } from "../tts/mod.ts";

/** A subtitle screen with its time span, as written to the manifest. */
export interface TimedPart extends TimedSpan {
  lines: string[];
}

/** Seconds as the manifest states them: milliseconds. */
export const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * The first `kept` sentences of a narration, rounded once to milliseconds; the last ends when the
 * audio is last heard (or at `maxSeconds`, a fixed-length video's end). Every later frame
 * decision is made from these (manifest) values.
 */
export function keptSentences(
  narration: Narration,
  kept: number,
  options: { maxSeconds?: number } = {},
): { sentences: TimedSpan[]; duration: number } {
  const heard = round3(narration.heard);
  const duration = options.maxSeconds === undefined
    ? heard
    : Math.min(heard, round3(options.maxSeconds));
  const sentences = narration.sentences.slice(0, kept).map((s, i) => ({
    text: s.text,
    start: Math.min(round3(s.start), duration),
    end: i === kept - 1 ? duration : Math.min(round3(s.end), duration),
  }));
  return { sentences, duration };
}

/**
 * Frames that show `seconds` of speech (at least one), rounded up to the model's rule of
 * `frameStep·n + 1` frames when `frameStep` > 1, or `fixedFrames` for a fixed-length video
 * (the extra frames hold the last picture).
 */
export function frameCount(
  seconds: number,
  options: { fps: number; frameStep: number; fixedFrames?: number },
): { frames: number; spokenFrames: number } {
  const spokenFrames = Math.max(1, Math.ceil(seconds * options.fps - 1e-6));
  const step = options.frameStep;
  const frames = options.fixedFrames ||
    (step > 1 ? Math.ceil((spokenFrames - 1) / step) * step + 1 : spokenFrames);
  return { frames, spokenFrames };
}

/** Options of `subtitleParts`. */
export interface SubtitlePartsOptions {
  language: "en" | "zh";
  band: SubtitleBand;
  measure: TextMeasure;
}

/**
 * Each sentence cut into the screens the band holds, each screen timed from the word boundaries
 * (`partStarts`), within its sentence's span.
 */
export function subtitleParts(
  sentences: TimedSpan[],
  words: TimedSpan[],
  options: SubtitlePartsOptions,
): TimedPart[] {
  const { language, band, measure } = options;
  const glue = language === "zh" ? "" : " ";
  const parts: TimedPart[] = [];
  for (const sentence of sentences) {
    const screens = splitSubtitle(sentence.text, { language, band, measure });
    const starts = partStarts(sentence, screens.map((s) => s.offset), words);
    screens.forEach((screen, i) => {
      parts.push({
        text: screen.lines.join(glue),
        lines: screen.lines,
        start: i === 0 ? sentence.start : round3(starts[i]),
        end: i + 1 < screens.length ? round3(starts[i + 1]) : sentence.end,
      });
    });
  }
  return parts;
}

/** The frame each subtitle screen appears on; of two screens in one frame only the later is seen. */
export function subtitleCues(
  parts: TimedPart[],
  options: { frames: number; fps: number },
): SubtitleCue[] {
  const cues: SubtitleCue[] = [];
  for (const part of parts) {
    const frame = Math.min(options.frames - 1, Math.floor(part.start * options.fps + 1e-6));
    if (cues.length > 0 && cues[cues.length - 1].frame >= frame) cues.pop();
    cues.push({ frame, lines: part.lines });
  }
  return cues;
}

/** Each prompt page is shown for a share of the video's frames proportional to its lines. */
export function promptPageFrames(pages: PlacedText[][], frames: number): PromptPage[] {
  const totalLines = pages.reduce((n, page) => n + page.length, 0);
  let linesBefore = 0;
  return pages.map((lines) => {
    const frame = Math.floor((linesBefore * frames) / totalLines);
    linesBefore += lines.length;
    return { frame, lines };
  });
}
