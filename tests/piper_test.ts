import assert from "node:assert/strict";
import { join } from "node:path";
import { parseWav, synthesize } from "../src/tts/mod.ts";
import {
  espeakPhonemes,
  lengthScaleFor,
  loadPiperVoice,
  phonemeIds,
  SENTENCE_SILENCE_SECONDS,
  voiceRepoPaths,
} from "../src/tts/piper/mod.ts";
import { isSpeakable, speechText } from "../src/text/mod.ts";
import { FRAMES_PER_ID, HOP, testVoiceConfig } from "../tasks/make_test_voice.ts";
import { withTempDir } from "./helpers/video.ts";

const FIXTURES = join(import.meta.dirname!, "fixtures", "piper");
const EN_VOICE = join(FIXTURES, "en_US-test-medium.onnx");
const ZH_VOICE = join(FIXTURES, "zh_CN-test-medium.onnx");
const ID_MAP = testVoiceConfig().phoneme_id_map as Record<string, number[]>;

const ids = (text: string, voice: string): number[][] =>
  espeakPhonemes(text, voice).map((p) => phonemeIds(p, ID_MAP).ids);

Deno.test("piper phonemes: Piper's published English vectors (piper1-gpl test_piper.py)", () => {
  assert.deepEqual(espeakPhonemes("Test 1. Test 2.", "en-us"), [
    ["t", "ˈ", "ɛ", "s", "t", " ", "w", "ˈ", "ʌ", "n", "."],
    ["t", "ˈ", "ɛ", "s", "t", " ", "t", "ˈ", "u", "ː", "."],
  ]);
  assert.deepEqual(ids("Test 1. Test 2.", "en-us"), [
    [1, 0, 32, 0, 120, 0, 61, 0, 31, 0, 32, 0, 3, 0, 35, 0, 120, 0, 102, 0, 26, 0, 10, 0, 2],
    [1, 0, 32, 0, 120, 0, 61, 0, 31, 0, 32, 0, 3, 0, 32, 0, 120, 0, 33, 0, 122, 0, 10, 0, 2],
  ]);
});

Deno.test("piper phonemes: piper-phonemize test.cpp vectors (clause punctuation, NFD)", () => {
  // Whitespace around punctuation: ", : ;" keep a space after them.
  assert.deepEqual(
    espeakPhonemes("this, is: a; test.", "en-us").map((s) => s.join("")),
    ["ðˈɪs, ɪz: ˈeɪ; tˈɛst."],
  );
  // German "licht!": ç decomposed into c + U+0327 (id 140), "!" id 4.
  assert.deepEqual(ids("licht!", "de"), [[
    1,
    0,
    24,
    0,
    120,
    0,
    74,
    0,
    16,
    0,
    140,
    0,
    32,
    0,
    4,
    0,
    2,
  ]]);
  // Unknown phonemes are skipped and reported, as Piper does.
  assert.deepEqual(phonemeIds(["\u0000", "\u0000", "\u0000"], ID_MAP), {
    ids: [1, 0, 2],
    missing: ["\u0000", "\u0000", "\u0000"],
  });
});

/** What the espeak-ng binary prints for `text`: one line per clause, flags removed. */
async function binaryClauses(text: string, voice: string): Promise<string[]> {
  const out = await new Deno.Command("espeak-ng", {
    args: ["-q", "--ipa", "-v", voice, text],
    stdout: "piped",
  }).output();
  return new TextDecoder().decode(out.stdout).split("\n").map((l) => l.trim()).filter(Boolean)
    .map((l) => l.replace(/\([^)]*\)/g, "").normalize("NFD"));
}

Deno.test("piper phonemes: English IPA equals the espeak-ng binary's, plus Piper's punctuation", async () => {
  const cases: [string, string[]][] = [
    ["The cat sat, then it slept.", [",", " ", "."]],
    ["Tom has 48 apples; he eats 2!", [";", " ", "!"]],
  ];
  for (const [text, punctuation] of cases) {
    const phonemes = espeakPhonemes(text, "en-us").flat();
    const letters = phonemes.filter((p) => !/^[,.;:!? ]$/.test(p)).join("");
    const expected = (await binaryClauses(text, "en-us")).join("").replaceAll(" ", "");
    assert.equal(letters, expected, text);
    const marks = phonemes.filter((p, i) =>
      /^[,.;:!?]$/.test(p) || (p === " " && /^[,;:]$/.test(phonemes[i - 1]))
    );
    assert.deepEqual(marks, punctuation, text);
  }
});

Deno.test("piper phonemes: Mandarin is read as Mandarin, not as English pinyin", () => {
  // espeak-ng 1.51's `cmn` gave "(en)nɪ5θɹˈiː5 hˌeɪ5ə5θɹˈiː5 ..." for this: "ni three hey three".
  // 1.51's cmn-latn-pinyin and espeak-ng 1.52-dev (npm espeak-ng 1.0.2, wasm) agree on the
  // second clause; 你好 is "nˈi2 χˈɑu2" here and "niɜχˈɑu2" (3-3 tone sandhi) on 1.52-dev.
  const [sentence] = espeakPhonemes("你好，我是小明。", "cmn");
  const spoken = sentence.join("").normalize("NFC");
  assert.ok(spoken.endsWith("wˈo2 s.ˈi.5 ɕjˈɑu2 mˈiɜŋ"), spoken);
  assert.match(spoken, /^nˈ?i[2ɜ] ?χˈɑu2/u);
  const story = espeakPhonemes("莉莉和本是朋友。他们喜欢在公园里玩。", "cmn").flat().join("");
  assert.doesNotMatch(story, /[()θɹ]|iː|eɪ/u);
  // One tone per syllable: 16 characters, 16 tone marks (2 = third tone, ɜ = second tone).
  assert.equal(story.match(/[1245ɜ]/gu)?.length, 16, story);
});

Deno.test("piper phonemes: Chinese ids follow Piper's rules (byte terminators, BOS/pad/EOS)", () => {
  // An ASCII terminator in Chinese text is kept; a full-width "，。" is not (Piper reads the
  // terminator as one byte of the text, and a UTF-8 "。" is three bytes).
  const ascii = espeakPhonemes("小猫在花园里玩, 它很开心. 蝴蝶飞走了.", "cmn");
  assert.deepEqual(ascii.at(-1)!.slice(-1), ["."]);
  const wide = espeakPhonemes("小猫在花园里玩，它很开心。蝴蝶飞走了。", "cmn");
  assert.equal(wide.length, 1);
  assert.ok(!wide[0].some((p) => /^[,.;:!?]$/.test(p)));
  for (const sentence of [...ascii, ...wide].map((p) => phonemeIds(p, ID_MAP))) {
    assert.deepEqual(sentence.missing, []);
    assert.deepEqual(sentence.ids.slice(0, 2), [1, 0]);
    assert.equal(sentence.ids.at(-1), 2);
    assert.ok(sentence.ids.slice(1, -1).every((id, i) => i % 2 === 1 || id === 0));
  }
});

Deno.test("piper voice names map to rhasspy/piper-voices paths", () => {
  assert.deepEqual(voiceRepoPaths("en_US-lessac-medium"), {
    model: "en/en_US/lessac/medium/en_US-lessac-medium.onnx",
    config: "en/en_US/lessac/medium/en_US-lessac-medium.onnx.json",
  });
  assert.equal(
    voiceRepoPaths("zh_CN-huayan-medium").model,
    "zh/zh_CN/huayan/medium/zh_CN-huayan-medium.onnx",
  );
  assert.throws(() => voiceRepoPaths("../etc/passwd"), /not a Piper voice name/);
});

/** Samples the test model makes for one espeak sentence at `lengthScale`. */
function expectedSamples(sentenceIds: number[], lengthScale: number): number {
  return Math.ceil(
    Math.fround(Math.fround(sentenceIds.length * Math.fround(lengthScale)) * FRAMES_PER_ID),
  ) * HOP;
}

Deno.test("piper synthesis through onnxruntime: exact durations, timings, rate and cache", async () => {
  await withTempDir(async (cacheDir) => {
    const sentences = ["The fox ran home.", "Then it slept!"];
    const voice = await loadPiperVoice(EN_VOICE);
    const narration = await synthesize(sentences, {
      engine: "piper",
      language: "en",
      voice: EN_VOICE,
      cacheDir,
    });
    const pcm = parseWav(await Deno.readFile(narration.audioPath));
    assert.equal(pcm.sampleRate, 22050);
    assert.equal(pcm.channels, 1);
    assert.equal(pcm.bitsPerSample, 16);
    const perSentence = sentences.map((s) =>
      ids(s, "en-us").reduce((n, sentenceIds) => n + expectedSamples(sentenceIds, 1), 0)
    );
    const pause = Math.round(SENTENCE_SILENCE_SECONDS * 22050);
    assert.equal(pcm.data.length / 2, perSentence[0] + pause + perSentence[1]);
    assert.equal(narration.duration, pcm.data.length / 2 / 22050);
    assert.deepEqual(narration.sentences, [
      { text: sentences[0], start: 0, end: (perSentence[0] + pause) / 22050 },
      { text: sentences[1], start: (perSentence[0] + pause) / 22050, end: narration.duration },
    ]);
    // The tone is there (not silence).
    const samples = new Int16Array(pcm.data.buffer, pcm.data.byteOffset, pcm.data.length / 2);
    assert.ok(Math.max(...samples.subarray(0, 2000)) > 7000);

    // --rate +25 → length_scale 0.8: each sentence shorter, as the model computes it.
    assert.equal(lengthScaleFor(voice, 25), 0.8);
    const fast = await synthesize(sentences, {
      engine: "piper",
      language: "en",
      voice: EN_VOICE,
      rate: 25,
      cacheDir,
    });
    const fastFirst = ids(sentences[0], "en-us").reduce((n, i) => n + expectedSamples(i, 0.8), 0);
    assert.equal(Math.round(fast.sentences[0].end * 22050), fastFirst + pause);
    assert.notEqual(fast.audioPath, narration.audioPath);

    // Cache: the same request is served from the stored file, untouched.
    const before = (await Deno.stat(narration.audioPath)).mtime?.getTime();
    const again = await synthesize(sentences, {
      engine: "piper",
      language: "en",
      voice: EN_VOICE,
      cacheDir,
    });
    assert.deepEqual(again, narration);
    assert.equal((await Deno.stat(narration.audioPath)).mtime?.getTime(), before);

    // The key is the voice files' content: a changed config is another voice.
    const copy = join(cacheDir, "copy-voice.onnx");
    await Deno.copyFile(EN_VOICE, copy);
    const config = testVoiceConfig();
    (config.inference as Record<string, number>).length_scale = 1.5;
    await Deno.writeTextFile(`${copy}.json`, JSON.stringify(config));
    const slower = await synthesize(sentences, {
      engine: "piper",
      language: "en",
      voice: copy,
      cacheDir,
    });
    assert.notEqual(slower.audioPath, narration.audioPath);
    assert.ok(slower.duration > narration.duration * 1.4);
  });
});

Deno.test("piper synthesis: Chinese voice, math read out, subtitles keep the original text", async () => {
  await withTempDir(async (cacheDir) => {
    const sentences = ["48/2=24。", "小猫很开心。"];
    const narration = await synthesize(sentences, {
      engine: "piper",
      language: "zh",
      voice: ZH_VOICE,
      cacheDir,
    });
    assert.deepEqual(narration.sentences.map((s) => s.text), sentences);
    const spoken = ids(speechText(sentences[0], "zh"), "cmn").reduce(
      (n, i) => n + expectedSamples(i, 1),
      0,
    );
    const pause = Math.round(SENTENCE_SILENCE_SECONDS * 22050);
    assert.equal(Math.round(narration.sentences[0].end * 22050), spoken + pause);
  });
});

Deno.test("piper: a missing voice is one line naming the download command", async () => {
  await withTempDir(async (cacheDir) => {
    await assert.rejects(
      synthesize(["Hello there."], {
        engine: "piper",
        language: "en",
        voicesDir: join(cacheDir, "voices"),
        cacheDir,
      }),
      (error: Error) => {
        assert.match(error.message, /en_US-lessac-medium not found in .*voices/);
        assert.match(error.message, /videoword download --voice en_US-lessac-medium/);
        assert.ok(!error.message.includes("\n"));
        return true;
      },
    );
  });
});

Deno.test("speechText reads math out for speech (en, zh)", () => {
  const en: [string, string][] = [
    ["48/2 = 24", "48 divided by 2 equals 24"],
    [
      "Natalia sold 48/2 = 24 clips in May.",
      "Natalia sold 48 divided by 2 equals 24 clips in May.",
    ],
    ["5 + 3 - 2 = 6", "5 plus 3 minus 2 equals 6"],
    ["(3+4)*2=14", "(3 plus 4) times 2 equals 14"],
    ["2 x 3 = 6", "2 times 3 equals 6"],
    ["-5 + 3 = -2", "minus 5 plus 3 equals minus 2"],
    ["It costs $1,500 or 25% more.", "It costs 1,500 dollars or 25 percent more."],
    ["She ate 3/4 of the cake.", "She ate 3 over 4 of the cake."],
    ["A well-known 2010-2012 story.", "A well-known 2010-2012 story."],
    ["10 > 5", "10 is greater than 5"],
  ];
  for (const [text, spoken] of en) assert.equal(speechText(text, "en"), spoken);
  const zh: [string, string][] = [
    ["48/2=24", "48除以2等于24"],
    ["5 + 3 - 2 = 6", "5加3减2等于6"],
    ["(3+4)×2=14", "(3加4)乘2等于14"],
    ["小明吃了3/4个苹果。", "小明吃了4分之3个苹果。"],
    ["价格涨了25%。", "价格涨了百分之25。"],
  ];
  for (const [text, spoken] of zh) assert.equal(speechText(text, "zh"), spoken);
});

Deno.test("isSpeakable: a letter or a digit in any script, never punctuation alone", () => {
  assert.equal(isSpeakable("Hi."), true);
  assert.equal(isSpeakable("48"), true);
  assert.equal(isSpeakable("你好"), true);
  assert.equal(isSpeakable("…!? — “”"), false);
  assert.equal(isSpeakable("   "), false);
  assert.equal(isSpeakable(""), false);
});
