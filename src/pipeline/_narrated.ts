import type { DatasetSpec, Sample } from "../datasets/mod.ts";
import { promptPages, scaledSubtitleBand } from "../layout/mod.ts";
import {
  fileFontMeasure,
  fontCatalog,
  fontMeasure,
  fontsCovering,
  type NarratedStyle,
  SEED_FONT_FILE,
} from "../paint/mod.ts";
import {
  chooseStyle,
  type FontChoice,
  PAPER_AMPLITUDE,
  type SampleStyle,
  styleRecord,
} from "../style/mod.ts";

/** The narrated prompt's font (Droid Sans Fallback draws CJK beside it). */
const NARRATED_FONT: FontChoice = {
  family: "DejaVu Sans Mono",
  file: SEED_FONT_FILE,
  style: "monospace",
  xHeight: 1120 / 2048,
};
import { isSpeakable, splitSentences } from "../text/mod.ts";
import { fitSpeech, paddedAudio } from "./_fixed_duration.ts";
import {
  frameCount,
  keptSentences,
  promptPageFrames,
  round3,
  subtitleCues,
  subtitleParts,
} from "./_narrated_timeline.ts";
import { renderNarratedVideo } from "./_narrated_video.ts";
import { backgroundName } from "./_silent.ts";
import type { PlannedSample, SampleRenderer } from "./_shard.ts";
import type { NarratedState, NarratedVideoOptions } from "./_job_types.ts";
import { type NarratedOptions, narratedSettings, narrationSpeaker } from "./_narrated_settings.ts";
import { fingerprintEncoder, type FingerprintInput, videoFingerprint } from "./_fingerprint.ts";

/** The renderer of narrated videos: TTS → prompt layout + timed subtitles → frames + AAC. */
export function narratedRenderer(
  spec: DatasetSpec,
  narratedOptions: NarratedOptions,
): SampleRenderer<NarratedState> {
  const options = narratedSettings(narratedOptions);
  const { pool } = narratedOptions;
  const { fps, width, height } = options;
  const band = scaledSubtitleBand(width, height);
  const language = spec.language;
  const glue = language === "zh" ? "" : " ";
  const tts = options.tts;
  const voice = tts.voices[language];
  const ffmpegBin = options.encode.ffmpegBin;
  const speak = narrationSpeaker(options, language);
  const style = options.style;
  const catalog = style.style === "varied" ? fontCatalog(style.fontDir) : [];
  const seedFont = catalog.find((f) => f.file === SEED_FONT_FILE) ?? NARRATED_FONT;
  /** The prompt area's style: the prompt's starting size, pitch and margin varied around. */
  const styleOf = (sample: Sample, text: string): SampleStyle =>
    chooseStyle({ dataset: spec.key, index: sample.index }, {
      settings: style,
      geometry: {
        height,
        fontSize: options.fontSize,
        lineHeight: Math.round((options.fontSize * 32) / 28),
        margin: options.margin,
      },
      colours: { foreground: "#000000", background: "#FFFFFF" },
      seedFont,
      eligibleFonts: style.style === "varied" ? fontsCovering(text, catalog) : [],
    });
  // What every narrated video of this renderer shares; the row's text completes it.
  const fixed = options.fixedDuration;
  const shared: Omit<FingerprintInput, "prompt" | "response"> = {
    kind: "narrated",
    textKind: spec.kind,
    language,
    fps,
    width,
    height,
    layout: null,
    paint: null,
    narration: {
      engine: tts.engine,
      voice,
      rate: tts.rate,
      maxDuration: options.maxDuration,
      frameStep: options.frameStep,
      fixedDuration: fixed
        ? { seconds: fixed.seconds, minSpeed: fixed.minSpeed, maxSpeed: fixed.maxSpeed }
        : null,
      margin: options.margin,
      fontSize: options.fontSize,
      minFontSize: options.minFontSize,
    },
    encode: fingerprintEncoder(options.encode),
  };

  return {
    kind: "narrated",
    async plan(sample: Sample): Promise<PlannedSample<NarratedState> | { skip: string }> {
      const spoken = splitSentences(sample.response, language)
        .map((s) => s.trim())
        .filter(isSpeakable);
      if (spoken.length === 0) return { skip: "empty response" };
      const promptSentences = splitSentences(sample.prompt, language);
      // Only the prompt is drawn in the style's font (the band keeps the seed's fonts).
      const look = styleOf(sample, sample.prompt);
      const varied = look.style === "varied";
      // A long prompt shrinks no further than the seed's smallest x-height in this font (a
      // small-eyed font stops at a larger size, then pages), so varied stays as legible.
      const minFontSize = varied
        ? Math.max(
          options.minFontSize,
          Math.ceil((options.minFontSize * seedFont.xHeight) / Math.max(0.3, look.font.xHeight)),
        )
        : options.minFontSize;
      const layoutPrompt = (sizes: { fontSize: number; margin: number }) =>
        promptSentences.some(isSpeakable)
          ? promptPages(promptSentences, {
            width,
            bottom: band.top,
            margin: sizes.margin,
            fontSize: sizes.fontSize,
            minFontSize,
            language,
            measure: varied ? fileFontMeasure(look.font.file) : fontMeasure,
          })
          : { pages: [], fontSize: sizes.fontSize };
      let prompt = layoutPrompt(varied ? look : options);
      if ("skip" in prompt && varied) {
        // The varied sizes must not cost a row the seed's sizes render: fall back to those.
        look.margin = options.margin;
        prompt = layoutPrompt(options);
      }
      if ("skip" in prompt) return prompt;
      const promptText = promptSentences.join(glue).trim();

      const result = await fitSpeech(spoken, {
        ...options,
        fixed: options.fixedDuration,
        language,
        rate: tts.rate,
        kind: spec.kind,
        speak,
      });
      if ("skip" in result) return result;
      const { narration, kept, speed, fixedFrames } = result;
      // A fixed-length video's speech ends within its frames (fitNarration made sure of it).
      const { sentences, duration: spokenDuration } = keptSentences(narration, kept, {
        maxSeconds: fixedFrames && fixedFrames / fps,
      });
      const { frames, spokenFrames } = frameCount(spokenDuration, { ...options, fixedFrames });
      // Frames added for the frame rule or --duration hold the last picture over silence.
      const padded = fixedFrames !== undefined || frames > spokenFrames;
      const duration = padded ? round3(frames / fps) : spokenDuration;
      // The manifest's `duration` is the video's length (what a trainer reads); the audio may end
      // up to a frame earlier, and is recorded as `audio_duration`.
      const videoDuration = round3(frames / fps);
      const audioPath = padded
        ? await paddedAudio(narration, frames / fps, { ffmpegBin })
        : narration.audioPath;
      const parts = subtitleParts(sentences, narration.words, {
        language,
        band,
        measure: fontMeasure,
      });
      // After the speech of a fixed-length video, the last subtitle stays until the end.
      if (fixedFrames && parts.length > 0) parts[parts.length - 1].end = duration;
      const pages = promptPageFrames(prompt.pages, frames);

      const spokenText = sentences.map((s) => s.text).join(glue);
      // The record says what the video shows: the size the prompt was set in, at its pitch.
      look.fontSize = prompt.fontSize;
      look.lineHeight = Math.round((prompt.fontSize * 32) / 28);
      const record = styleRecord(look);
      const pictureStyle: NarratedStyle | undefined = varied
        ? {
          foreground: look.foreground.hex,
          background: look.background.hex,
          look: {
            fontFile: look.font.file,
            backgroundKind: look.backgroundKind,
            backgroundEnd: look.backgroundEnd?.hex ?? null,
            textureSeed: look.textureSeed,
            textureAmplitude: PAPER_AMPLITUDE,
          },
        }
        : undefined;
      return {
        fingerprint: videoFingerprint({
          ...shared,
          prompt: sample.prompt,
          response: sample.response,
          style: varied ? record : undefined,
        }),
        state: {
          audioPath,
          picture: {
            width,
            height,
            margin: look.margin,
            promptFontSize: prompt.fontSize,
            band,
            pages,
            cues: subtitleCues(parts, { frames, fps }),
            frames,
            ...(pictureStyle ? { style: pictureStyle } : {}),
          },
        },
        values: {
          prompt: promptText,
          response: spokenText,
          spoken: spokenText,
          seconds: videoDuration,
          font_style: look.font.style,
          text_color: look.foreground.name,
          background_color: backgroundName(look),
        },
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
          duration: videoDuration,
          audio_duration: duration,
          tts: tts.engine,
          rate: Math.round(speed * 100) / 100,
          voice,
          font_size: prompt.fontSize,
          pages: pages.length,
          truncated: kept < spoken.length,
          style: record,
        },
      };
    },
    async render(planned, outPath) {
      const video: NarratedVideoOptions = {
        fps,
        encode: options.encode,
        fingerprint: planned.fingerprint,
      };
      const job = { kind: "narrated" as const, state: planned.state, options: video };
      return pool
        ? await pool.run(job, outPath)
        : await renderNarratedVideo(job.state, outPath, video);
    },
  };
}
