import type { DatasetSpec, Sample } from "../datasets/mod.ts";
import { promptPages, splitSubtitle, SUBTITLE_BAND_DEFAULTS, subtitleBand } from "../layout/mod.ts";
import { fontMeasure, paintNarrated, type PromptPage, type SubtitleCue } from "../paint/mod.ts";
import { encodeFrames } from "../encode/mod.ts";
import { splitSentences } from "../text/mod.ts";
import { type Narration, partStarts, synthesize, type TimedSpan } from "../tts/mod.ts";
import { fitNarration, fixedFrameCount, paddedAudio } from "./fixed_duration.ts";
import type { PlannedSample, SampleRenderer } from "./shard.ts";
import type { NarratedState, NarratedVideoOptions } from "./job_types.ts";
import { type NarratedOptions, narratedSettings } from "./narrated_settings.ts";

/** A subtitle screen with its time span, as written to the manifest. */
interface TimedPart extends TimedSpan {
  lines: string[];
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

const SPEAKABLE = /[\p{L}\p{N}]/u;

/** Characters per second surely not reached by normal speech (for choosing what to synthesize). */
const FAST_CHARS_PER_SECOND = { en: 25, zh: 8 } as const;

/** The renderer of narrated videos: TTS → prompt layout + timed subtitles → frames + AAC. */
export function narratedRenderer(
  spec: DatasetSpec,
  narratedOptions: NarratedOptions,
): SampleRenderer<NarratedState> {
  const options = narratedSettings(narratedOptions);
  const { pool } = narratedOptions;
  const { fps, width, height, maxDuration } = options;
  // The subtitle band's sizes are set for 360 lines and scale with the frame.
  const scale = height / SUBTITLE_BAND_DEFAULTS.height;
  const band = subtitleBand({
    width,
    height,
    fontSize: Math.round(SUBTITLE_BAND_DEFAULTS.fontSize * scale),
    lineHeight: Math.round(SUBTITLE_BAND_DEFAULTS.lineHeight * scale),
    paddingX: Math.round(SUBTITLE_BAND_DEFAULTS.paddingX * scale),
    paddingY: Math.round(SUBTITLE_BAND_DEFAULTS.paddingY * scale),
  });
  const language = spec.language;
  const glue = language === "zh" ? "" : " ";
  const tts = options.tts;
  const voice = tts.voices[language];
  const ffmpegBin = options.encode.ffmpegBin;

  function speak(sentences: string[], rate = tts.rate): Promise<Narration> {
    return synthesize(sentences, {
      engine: tts.engine,
      language,
      voice,
      rate,
      cacheDir: tts.cacheDir,
      espeakBin: tts.espeakBin,
      voicesDir: tts.voicesDir,
      ffmpegBin,
      attempts: tts.attempts,
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
    const speed = Math.max(0.25, 1 + tts.rate / 100);
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
        ? promptPages(promptSentences, {
          width,
          bottom: band.top,
          margin: options.margin,
          fontSize: options.fontSize,
          minFontSize: options.minFontSize,
          language,
          measure: fontMeasure,
        })
        : { pages: [], fontSize: options.fontSize };
      if ("skip" in prompt) return prompt;
      const promptText = promptSentences.join(glue).trim();

      const fixed = options.fixedDuration;
      const fixedFrames = fixed && fixedFrameCount(fixed.seconds, fps, options.frameStep);
      const result: { narration: Narration; kept: number; speed?: number } | { skip: string } =
        fixed
          ? await fitNarration(spoken, {
            seconds: fixedFrames! / fps,
            minSpeed: fixed.minSpeed,
            maxSpeed: fixed.maxSpeed,
            overflow: spec.kind === "story" ? "cut" : "skip",
            speak: (sentences, speed) => speak(sentences, Math.round((speed - 1) * 100)),
          })
          : await narrate(spoken);
      if ("skip" in result) return result;
      const { narration, kept } = result;
      const speed = result.speed ?? 1 + tts.rate / 100;
      // A fixed-length video's speech ends within its frames (fitNarration made sure of it).
      const spokenDuration = fixedFrames
        ? Math.min(round3(narration.heard), round3(fixedFrames / fps))
        : round3(narration.heard);
      // Rounded once, and every frame decision is made from the rounded (manifest) values.
      const sentences: TimedSpan[] = narration.sentences.slice(0, kept).map((s, i) => ({
        text: s.text,
        start: Math.min(round3(s.start), spokenDuration),
        end: i === kept - 1 ? spokenDuration : Math.min(round3(s.end), spokenDuration),
      }));
      const spokenFrames = Math.max(1, Math.ceil(spokenDuration * fps - 1e-6));
      const step = options.frameStep;
      const frames = fixedFrames ||
        (step > 1 ? Math.ceil((spokenFrames - 1) / step) * step + 1 : spokenFrames);
      // Frames added for the frame rule or --duration hold the last picture over silence.
      const padded = fixedFrames !== undefined || frames > spokenFrames;
      const duration = padded ? round3(frames / fps) : spokenDuration;
      const audioPath = padded
        ? await paddedAudio(narration, frames / fps, { ffmpegBin })
        : narration.audioPath;

      const parts: TimedPart[] = [];
      for (const sentence of sentences) {
        const screens = splitSubtitle(sentence.text, { language, band, measure: fontMeasure });
        const starts = partStarts(sentence, screens.map((s) => s.offset), narration.words);
        screens.forEach((screen, i) => {
          parts.push({
            text: screen.lines.join(glue),
            lines: screen.lines,
            start: i === 0 ? sentence.start : round3(starts[i]),
            end: i + 1 < screens.length ? round3(starts[i + 1]) : sentence.end,
          });
        });
      }
      // After the speech of a fixed-length video, the last subtitle stays until the end.
      if (fixedFrames && parts.length > 0) parts[parts.length - 1].end = duration;
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
            margin: options.margin,
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
          rate: Math.round(speed * 100) / 100,
          voice,
          font_size: prompt.fontSize,
          pages: pages.length,
          ...(truncated ? { truncated: true } : {}),
        },
      };
    },
    async render(planned, outPath) {
      const video: NarratedVideoOptions = { fps, encode: options.encode };
      return pool
        ? await pool.run(
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
