/**
 * A narrated video's timeline (pipeline/_narrated_timeline.ts) and the max-duration fit
 * (narrateWithin), from timings alone: no espeak-ng, no ffmpeg.
 */
import assert from "node:assert/strict";
import { scaledSubtitleBand, subtitleBand } from "../src/layout/mod.ts";
import { fontMeasure } from "../src/paint/mod.ts";
import type { Narration } from "../src/tts/mod.ts";
import { fitSpeech, narrateWithin } from "../src/pipeline/_fixed_duration.ts";
import {
  frameCount,
  keptSentences,
  promptPageFrames,
  subtitleCues,
  subtitleParts,
} from "../src/pipeline/_narrated_timeline.ts";

const band = subtitleBand({ width: 640, height: 360 });

/** A narration whose sentences last 0.1 s per character, back to back. */
function timed(sentences: string[], heardLess = 0): Narration {
  let t = 0;
  const spans = sentences.map((text) => {
    const start = t;
    t += text.length / 10;
    return { text, start, end: t };
  });
  return { audioPath: "/dev/null", duration: t, heard: t - heardLess, sentences: spans, words: [] };
}

Deno.test("keptSentences: milliseconds, contiguous, the last ends when the audio is last heard", () => {
  const narration = timed(["Tom has 5 apples.", "He eats 2.", "How many are left?"], 0.0604);
  narration.sentences[0].end += 0.00049;
  const { sentences, duration } = keptSentences(narration, 2);
  assert.equal(duration, Math.round(narration.heard * 1000) / 1000);
  assert.deepEqual(sentences.map((s) => s.text), ["Tom has 5 apples.", "He eats 2."]);
  assert.equal(sentences[0].start, 0);
  assert.equal(sentences[0].end, 1.7);
  assert.equal(sentences[1].end, duration, "the last kept sentence runs to the end");
  const all = keptSentences(narration, 3);
  assert.equal(all.sentences[2].end, all.duration);
  assert.ok(all.sentences.every((s) => s.end <= all.duration && s.start <= s.end));
});

Deno.test("frameCount: frames cover the speech; a model's 4n+1 rule rounds up", () => {
  assert.deepEqual(frameCount(2.5, { fps: 24, frameStep: 1 }), { frames: 60, spokenFrames: 60 });
  assert.deepEqual(frameCount(2.501, { fps: 24, frameStep: 1 }), { frames: 61, spokenFrames: 61 });
  assert.deepEqual(frameCount(2.5, { fps: 24, frameStep: 4 }), { frames: 61, spokenFrames: 60 });
  assert.deepEqual(frameCount(2.625, { fps: 24, frameStep: 4 }), { frames: 65, spokenFrames: 63 });
  assert.deepEqual(frameCount(0, { fps: 24, frameStep: 1 }), { frames: 1, spokenFrames: 1 });
});

Deno.test("subtitleParts: a long sentence becomes screens that tile its span; words time them", () => {
  const long = "Once upon a time there was a little girl who loved to play in the garden " +
    "with her dog, and every morning they ran to the big old tree by the river to look for birds.";
  const sentences = [{ text: "It was sunny.", start: 0, end: 1.2 }, {
    text: long,
    start: 1.2,
    end: 9,
  }];
  const measure = fontMeasure;
  const parts = subtitleParts(sentences, [], { language: "en", band, measure });
  assert.equal(parts[0].text, "It was sunny.");
  assert.deepEqual([parts[0].start, parts[0].end], [0, 1.2]);
  const screens = parts.slice(1);
  assert.ok(screens.length >= 2, `${screens.length} screens`);
  assert.equal(screens[0].start, 1.2);
  assert.equal(screens.at(-1)!.end, 9);
  for (let i = 1; i < screens.length; i++) assert.equal(screens[i].start, screens[i - 1].end);
  assert.equal(screens.map((p) => p.text).join(" "), long);
  for (const part of parts) {
    assert.ok(part.lines.length <= band.maxLines);
    for (const line of part.lines) assert.ok(measure(line, band.fontSize) <= band.maxWidth + 0.5);
  }
  // With word boundaries, the second screen starts when its first word is heard.
  const firstWord = screens[1].text.split(" ")[0];
  const words = [{ text: firstWord, start: 5.25, end: 5.5 }];
  const timedParts = subtitleParts(sentences, words, { language: "en", band, measure });
  assert.equal(timedParts[2].start, 5.25);
  assert.equal(timedParts[1].end, 5.25);
});

Deno.test("subtitleCues: a screen's frame; of two in one frame the later is kept", () => {
  const part = (text: string, start: number) => ({ text, lines: [text], start, end: start });
  const cues = subtitleCues([part("a", 0), part("b", 1.01), part("c", 1.02), part("d", 99)], {
    frames: 48,
    fps: 24,
  });
  assert.deepEqual(cues, [
    { frame: 0, lines: ["a"] },
    { frame: 24, lines: ["c"] },
    { frame: 47, lines: ["d"] },
  ]);
});

Deno.test("promptPageFrames: pages share the frames by their lines", () => {
  const line = { text: "x", x: 15, y: 40 };
  const pages = promptPageFrames([[line, line, line], [line], [line, line, line, line]], 80);
  assert.deepEqual(pages.map((p) => p.frame), [0, 30, 40]);
  assert.deepEqual(promptPageFrames([], 80), []);
});

Deno.test("scaledSubtitleBand: the 360-line sizes scale with the frame", () => {
  assert.deepEqual(scaledSubtitleBand(640, 360), band);
  const tall = scaledSubtitleBand(832, 480);
  assert.equal(tall.fontSize, 48);
  assert.equal(tall.lineHeight, 59);
  assert.equal(tall.top, 480 - (2 * 59 + 2 * 13));
});

Deno.test("narrateWithin: the longest prefix of whole sentences that fits, spoken alone", async () => {
  const spokenRequests: string[][] = [];
  const speak = (sentences: string[]): Promise<Narration> => {
    spokenRequests.push(sentences);
    return Promise.resolve(timed(sentences));
  };
  // 2 s, 3 s, 4 s, 2 s of speech.
  const story = ["a".repeat(20), "b".repeat(30), "c".repeat(40), "d".repeat(20)];
  const cut = await narrateWithin(story, { maxDuration: 6, language: "en", rate: 0, speak });
  assert.ok(!("skip" in cut));
  assert.equal(cut.kept, 2);
  assert.deepEqual(cut.narration.sentences.map((s) => s.text), story.slice(0, 2));
  assert.deepEqual(spokenRequests.at(-1), story.slice(0, 2), "the kept part is spoken alone");

  const all = await narrateWithin(story, { maxDuration: 60, language: "en", rate: 0, speak });
  assert.ok(!("skip" in all) && all.kept === 4);

  const tooLong = await narrateWithin(story, { maxDuration: 1, language: "en", rate: 0, speak });
  assert.deepEqual(tooLong, { skip: "first sentence too long: 2.0 s > --max-duration 1 s" });
});

Deno.test("fitSpeech: a fixed length counts its frames by the model rule and fits the speed", async () => {
  const rates: number[] = [];
  // Speech takes 0.1 s per character at speed 1, proportionally less when faster.
  const speak = (sentences: string[], rate: number): Promise<Narration> => {
    rates.push(rate);
    const n = timed(sentences);
    const k = 1 / (1 + rate / 100);
    const scale = (s: { text: string; start: number; end: number }) => ({
      ...s,
      start: s.start * k,
      end: s.end * k,
    });
    return Promise.resolve({
      ...n,
      duration: n.duration * k,
      heard: n.heard * k,
      sentences: n.sentences.map(scale),
    });
  };
  const base = { fps: 16, frameStep: 4, maxDuration: 30, language: "en", rate: 0, speak } as const;
  const story = ["a".repeat(30), "b".repeat(30)]; // 6 s at speed 1
  const within = await fitSpeech(story, { ...base, kind: "story" });
  assert.ok(!("skip" in within));
  assert.equal(within.speed, 1);
  assert.equal(within.fixedFrames, undefined);
  assert.deepEqual(rates, [0]);

  const fixed = { seconds: 5, minSpeed: 0.85, maxSpeed: 1.25 };
  const fitted = await fitSpeech(story, { ...base, kind: "story", fixed });
  assert.ok(!("skip" in fitted));
  assert.equal(fitted.fixedFrames, 81, "5 s at 16 fps → 4n+1 = 81 frames");
  assert.ok(fitted.speed > 1 && fitted.speed <= 1.25, `speed ${fitted.speed}`);
  assert.ok(fitted.narration.duration <= 81 / 16 + 1e-6);
  assert.equal(fitted.kept, 2);
});
