import type { DatasetSpec, Sample } from "../datasets/mod.ts";
import {
  type PlacedText,
  revealPlan,
  splitSubtitle,
  type SubtitleBand,
  subtitleBand,
} from "../layout/mod.ts";
import { fontMeasure, paintNarrated, type PromptPage, type SubtitleCue } from "../paint/mod.ts";
import { encodeFrames, type EncodeOptions } from "../encode/mod.ts";
import { runProcess } from "../process/mod.ts";
import { splitSentences } from "../text/mod.ts";
import {
  defaultVoice,
  type Narration,
  synthesize,
  type TimedSpan,
  type TtsEngine,
} from "../tts/mod.ts";
import { paddedAudio } from "./fixed_duration.ts";
import type { PlannedSample, SampleRenderer } from "./shard.ts";
import type { RenderPool } from "./render_pool.ts";
import type { NarratedState, NarratedVideoOptions } from "./job_types.ts";

/** How the narration is spoken. */
export interface NarrationOptions {
  engine: TtsEngine;
  /** Default: Aria / Xiaoxiao (edge), en-us / cmn (espeak). */
  voice?: string;
  /** Speed change in percent (0). */
  rate?: number;
  /** Audio and timing cache (shared by runs: resumes make no new TTS requests). */
  cacheDir: string;
  espeakBin?: string;
  /** piper: the voices folder (`DATA_DIR/voices`). */
  voicesDir?: string;
  ffmpegBin?: string;
  /** Edge: tries per narration (4). */
  attempts?: number;
  /** Edge: first retry delay in ms (1000). */
  retryDelayMs?: number;
}

/** Options of narrated videos. */
export interface NarratedOptions {
  tts: NarrationOptions;
  /** Longest video in seconds (30); the narration is cut at a sentence end to fit. */
  maxDuration?: number;
  /** Frames per second (24). */
  fps?: number;
  /** Frame width (640) and height (360). */
  width?: number;
  height?: number;
  /** Blank border of the prompt area (15). */
  margin?: number;
  /** Prompt font size (28); long prompts shrink to `minFontSize`, then paginate. */
  fontSize?: number;
  /** Smallest prompt font (18). */
  minFontSize?: number;
  /**
   * Frame counts are `frameStep·n + 1` (1: any): the count is rounded up, the last picture held
   * and the audio padded with silence to the same length.
   */
  frameStep?: number;
  encode?: Omit<EncodeOptions, "width" | "height" | "pixelFormat" | "fps" | "audioPath">;
  /** Paint and encode on these worker threads instead of this one. */
  pool?: RenderPool;
}

/** A subtitle screen with its time span, as written to the manifest. */
interface TimedPart extends TimedSpan {
  lines: string[];
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

const SPEAKABLE = /[\p{L}\p{N}]/u;

/** Characters per second surely not reached by normal speech (for choosing what to synthesize). */
const FAST_CHARS_PER_SECOND = { en: 25, zh: 8 } as const;

/**
 * Lay out the prompt above the band with the silent videos' engine: the layout reserves one answer
 * line and a separator slot under the prompt, so it is given exactly that much extra height, which
 * lands in the band and is never drawn. Shrinks the font to fit one page; failing that, the
 * fewest pages the smallest font needs, in the largest font that needs no more.
 */
function layoutPrompt(
  spec: DatasetSpec,
  promptSentences: string[],
  band: SubtitleBand,
  options: NarratedOptions,
): { pages: PlacedText[][]; fontSize: number } | { skip: string } {
  const base = options.fontSize ?? 28;
  const min = Math.min(options.minFontSize ?? 18, base);
  const separatorSlot = 2 * 4 + 2;
  const plans: { pages: PlacedText[][]; fontSize: number }[] = [];
  for (let fontSize = base; fontSize >= min; fontSize--) {
    const lineHeight = Math.round((fontSize * 32) / 28);
    const plan = revealPlan(promptSentences, ["x"], {
      width: options.width ?? 640,
      height: band.top + lineHeight + separatorSlot,
      margin: options.margin ?? 15,
      fontSize,
      lineHeight,
      separatorGap: 4,
      separatorThickness: 2,
      longPrompt: "paginate",
      promptPageFrames: 0,
      frames: 2,
      kind: spec.kind,
      language: spec.language,
      measure: fontMeasure,
    });
    if ("skip" in plan) return plan;
    // The layout's extra pages are one line too tall for the area above the band: re-cut its
    // wrapped lines into balanced pages that fit there.
    const lines = plan.pages.flatMap((page) => page.prompt);
    const perPage = Math.max(1, Math.floor((band.top - 2 * plan.margin) / lineHeight));
    const count = Math.ceil(lines.length / perPage);
    const size = Math.ceil(lines.length / count);
    const baseline = lines[0].y - plan.margin;
    const pages: PlacedText[][] = [];
    for (let i = 0; i < lines.length; i += size) {
      pages.push(
        lines.slice(i, i + size).map((line, row) => ({
          ...line,
          y: plan.margin + row * lineHeight + baseline,
        })),
      );
    }
    if (pages.length === 1) return { pages, fontSize };
    plans.push({ pages, fontSize });
  }
  const fewest = Math.min(...plans.map((plan) => plan.pages.length));
  return plans.find((plan) => plan.pages.length === fewest)!;
}

/**
 * Seconds of audio a file decodes to. An mp3's container duration (what ffprobe reports) counts
 * the encoder delay and padding, ~60 ms more than is heard and muxed; decoding counts samples.
 */
async function decodedDuration(path: string, ffmpegBin: string): Promise<number> {
  const rate = 48_000;
  const out = await runProcess(ffmpegBin, [
    "-v",
    "error",
    "-nostdin",
    "-i",
    path,
    "-f",
    "s16le",
    "-ac",
    "1",
    "-ar",
    `${rate}`,
    "-",
  ], { tool: "ffmpeg" });
  const seconds = out.stdout.length / 2 / rate;
  if (!out.success || seconds <= 0) {
    const detail = out.stderr.trim().split("\n").pop();
    throw new Error(`cannot decode narration ${path}: ${detail || `exit ${out.code}`}`);
  }
  return seconds;
}

/** Start of each part of a sentence: from edge word boundaries, else shared by characters. */
function timeParts(
  sentence: TimedSpan,
  parts: { lines: string[]; offset: number }[],
  words: TimedSpan[],
): number[] {
  const total = [...sentence.text.replace(/\s+/gu, "")].length || 1;
  const span = sentence.end - sentence.start;
  const proportional = parts.map((p) => sentence.start + (span * p.offset) / total);
  if (parts.length <= 1) return [sentence.start];
  // Find each word of this sentence in the text (spaces removed), in order.
  const stream = [...sentence.text.replace(/\s+/gu, "").toLowerCase()];
  const joined = stream.join("");
  const placed: { at: number; start: number }[] = [];
  let cursor = 0;
  for (const word of words) {
    if (word.start < sentence.start - 1e-6 || word.start >= sentence.end) continue;
    const needle = word.text.replace(/\s+/gu, "").toLowerCase();
    if (!needle) continue;
    const index = joined.indexOf(needle, cursor);
    if (index < 0) continue;
    const at = [...joined.slice(0, index)].length;
    placed.push({ at, start: word.start });
    cursor = index + needle.length;
  }
  return parts.map((part, i) => {
    if (i === 0) return sentence.start;
    const word = placed.find((w) => w.at >= part.offset);
    const time = word?.start;
    // A word time that does not fall inside the sentence is not trusted.
    return time !== undefined && time > sentence.start && time < sentence.end
      ? time
      : proportional[i];
  });
}

/** The renderer of narrated videos: TTS → prompt layout + timed subtitles → frames + AAC. */
export function narratedRenderer(
  spec: DatasetSpec,
  options: NarratedOptions,
): SampleRenderer<NarratedState> {
  const fps = options.fps ?? 24;
  const width = options.width ?? 640;
  const height = options.height ?? 360;
  const maxDuration = options.maxDuration ?? 30;
  // The subtitle band's sizes are set for 360 lines and scale with the frame.
  const scale = height / 360;
  const band = subtitleBand({
    width,
    height,
    fontSize: Math.round(36 * scale),
    lineHeight: Math.round(44 * scale),
    paddingX: Math.round(20 * scale),
    paddingY: Math.round(10 * scale),
  });
  const language = spec.language;
  const glue = language === "zh" ? "" : " ";
  const tts = options.tts;
  const voice = tts.voice ?? defaultVoice(tts.engine, language);
  const ffmpegBin = tts.ffmpegBin ?? options.encode?.ffmpegBin ?? "ffmpeg";

  function speak(sentences: string[]): Promise<Narration> {
    return synthesize(sentences, {
      engine: tts.engine,
      language,
      voice,
      rate: tts.rate ?? 0,
      cacheDir: tts.cacheDir,
      espeakBin: tts.espeakBin,
      voicesDir: tts.voicesDir,
      ffmpegBin: tts.ffmpegBin,
      attempts: tts.attempts,
      retryDelayMs: tts.retryDelayMs,
    });
  }

  /**
   * Speak the longest prefix of whole sentences that fits `maxDuration`. Only a generous
   * estimate of what could fit is synthesized first; when something must be cut, the kept
   * sentences are synthesized again so the audio holds nothing else. Deterministic, and cached.
   */
  async function narrate(
    sentences: string[],
  ): Promise<{ narration: Narration; kept: number } | { skip: string }> {
    const speed = Math.max(0.25, 1 + (tts.rate ?? 0) / 100);
    let budget = maxDuration * FAST_CHARS_PER_SECOND[language] * speed;
    let narration: Narration;
    let taken: number;
    for (;;) {
      taken = 0;
      let chars = 0;
      while (taken < sentences.length && chars <= budget) chars += [...sentences[taken++]].length;
      narration = await speak(sentences.slice(0, taken));
      const fits = narration.sentences.filter((s) => s.end <= maxDuration + 1e-6).length;
      if (fits < taken || taken === sentences.length) break;
      budget *= 2;
    }
    let kept = narration.sentences.findIndex((s) => s.end > maxDuration + 1e-6);
    if (kept < 0) return { narration, kept: taken };
    while (kept > 0) {
      const shorter = await speak(sentences.slice(0, kept));
      if (shorter.duration <= maxDuration + 1e-6) return { narration: shorter, kept };
      kept--;
    }
    const first = narration.sentences[0];
    return {
      skip: `first sentence too long: ${first.end.toFixed(1)} s > --max-duration ${maxDuration} s`,
    };
  }

  return {
    kind: "narrated",
    async plan(sample: Sample): Promise<PlannedSample<NarratedState> | { skip: string }> {
      const spoken = splitSentences(sample.response, language)
        .map((s) => s.trim())
        .filter((s) => SPEAKABLE.test(s));
      if (spoken.length === 0) return { skip: "empty response" };
      const promptSentences = splitSentences(sample.prompt, language);
      const prompt = promptSentences.some((s) => SPEAKABLE.test(s))
        ? layoutPrompt(spec, promptSentences, band, options)
        : { pages: [], fontSize: options.fontSize ?? 28 };
      if ("skip" in prompt) return prompt;
      const promptText = promptSentences.join(glue).trim();

      const result = await narrate(spoken);
      if ("skip" in result) return result;
      const { narration, kept } = result;
      // WAV lengths are exact; compressed audio is measured by decoding it.
      const heard = narration.audioPath.endsWith(".wav")
        ? narration.duration
        : Math.min(narration.duration, await decodedDuration(narration.audioPath, ffmpegBin));
      const spokenDuration = round3(heard);
      // Rounded once, and every frame decision is made from the rounded (manifest) values.
      const sentences: TimedSpan[] = narration.sentences.slice(0, kept).map((s, i) => ({
        text: s.text,
        start: Math.min(round3(s.start), spokenDuration),
        end: i === kept - 1 ? spokenDuration : Math.min(round3(s.end), spokenDuration),
      }));
      const spokenFrames = Math.max(1, Math.ceil(spokenDuration * fps - 1e-6));
      const step = options.frameStep ?? 1;
      const frames = step > 1 ? Math.ceil((spokenFrames - 1) / step) * step + 1 : spokenFrames;
      // Frames added for the frame rule hold the last picture over silence.
      const padded = frames > spokenFrames;
      const duration = padded ? round3(frames / fps) : spokenDuration;
      const audioPath = padded
        ? await paddedAudio(narration, frames / fps, { ffmpegBin })
        : narration.audioPath;

      const parts: TimedPart[] = [];
      for (const sentence of sentences) {
        const screens = splitSubtitle(sentence.text, { language, band, measure: fontMeasure });
        const starts = timeParts(sentence, screens, narration.words);
        screens.forEach((screen, i) => {
          parts.push({
            text: screen.lines.join(glue),
            lines: screen.lines,
            start: i === 0 ? sentence.start : round3(starts[i]),
            end: i + 1 < screens.length ? round3(starts[i + 1]) : sentence.end,
          });
        });
      }
      const cues: SubtitleCue[] = [];
      for (const part of parts) {
        const frame = Math.min(frames - 1, Math.floor(part.start * fps + 1e-6));
        // Two screens starting in the same frame: only the later one is ever seen.
        if (cues.length > 0 && cues[cues.length - 1].frame >= frame) cues.pop();
        cues.push({ frame, lines: part.lines });
      }
      // Each prompt page is shown for a share of the video proportional to its lines.
      const totalLines = prompt.pages.reduce((n, page) => n + page.length, 0);
      let linesBefore = 0;
      const pages: PromptPage[] = prompt.pages.map((lines) => {
        const frame = Math.floor((linesBefore * frames) / totalLines);
        linesBefore += lines.length;
        return { frame, lines };
      });

      const spokenText = sentences.map((s) => s.text).join(glue);
      const truncated = kept < spoken.length;
      return {
        state: {
          audioPath,
          picture: {
            width,
            height,
            margin: options.margin ?? 15,
            promptFontSize: prompt.fontSize,
            band,
            pages,
            cues,
            frames,
          },
        },
        values: { prompt: promptText, response: spokenText, spoken: spokenText, seconds: duration },
        fields: {
          prompt_text: promptText,
          response_text: spokenText,
          spoken_text: spokenText,
          sentences,
          subtitles: parts.map(({ text, start, end }) => ({ text, start, end })),
          frames,
          fps,
          width,
          height,
          duration,
          tts: tts.engine,
          voice,
          font_size: prompt.fontSize,
          pages: pages.length,
          ...(truncated ? { truncated: true } : {}),
        },
      };
    },
    async render(planned, outPath) {
      const video: NarratedVideoOptions = { fps, encode: options.encode };
      return options.pool
        ? await options.pool.run(
          { kind: "narrated", state: planned.state, options: video },
          outPath,
        )
        : await renderNarratedVideo(planned.state, outPath, video);
    },
  };
}

/** Paint the narrated picture and encode it with its audio to `outPath` (atomically). */
export async function renderNarratedVideo(
  state: NarratedState,
  outPath: string,
  options: NarratedVideoOptions,
): Promise<{ bytes: number }> {
  const { picture, audioPath } = state;
  const painted = paintNarrated(picture);
  let count = 0;
  function* counted(): Generator<Uint8Array> {
    for (const frame of painted.frames) {
      count++;
      yield frame;
    }
  }
  const result = await encodeFrames(counted(), outPath, {
    ...options.encode,
    width: painted.width,
    height: painted.height,
    pixelFormat: painted.pixelFormat,
    fps: options.fps,
    audioPath,
  });
  // Audio and video come out equally long only when exactly ceil(duration × fps) frames went in.
  if (count !== picture.frames) {
    await Deno.remove(outPath).catch(() => {});
    throw new Error(`frame count mismatch: painted ${count}, planned ${picture.frames}`);
  }
  return { bytes: result.bytes };
}
