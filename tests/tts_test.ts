import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import {
  EDGE_URL_ENV,
  type Narration,
  parseWav,
  type PcmAudio,
  setEdgeConcurrency,
  synthesize,
} from "../src/tts/mod.ts";
import { sentenceBreaks, speakTogether } from "../src/tts/_espeak.ts";
import { type EdgeServer, type EdgeServerOptions, startEdgeServer } from "./helpers/edge_server.ts";
import { withTempDir } from "./helpers/video.ts";

const EN = [
  "The little fox ran across the snowy field.",
  "She stopped to listen to the wind!",
  "Then she went home to sleep.",
];
const ZH = ["小猫在花园里玩。", "它看见一只蝴蝶！", "蝴蝶飞走了。"];

/** Run `fn` with a loopback Edge server and a temp cache dir, cleaning both up. */
async function withEdge(
  serverOptions: EdgeServerOptions,
  fn: (server: EdgeServer, cacheDir: string) => Promise<void>,
): Promise<void> {
  const server = startEdgeServer(serverOptions);
  const cacheDir = await Deno.makeTempDir({ prefix: "tts_test_" });
  Deno.env.set(EDGE_URL_ENV, server.url);
  try {
    await fn(server, cacheDir);
  } finally {
    Deno.env.delete(EDGE_URL_ENV);
    await server.close();
    await Deno.remove(cacheDir, { recursive: true });
  }
}

async function ffprobe(path: string): Promise<{ duration: number; codec: string; rate: number }> {
  const out = await new Deno.Command("ffprobe", {
    args: [
      "-v",
      "error",
      "-show_entries",
      "format=duration:stream=codec_name,sample_rate,channels",
      "-of",
      "json",
      path,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  const json = JSON.parse(new TextDecoder().decode(out.stdout));
  return {
    duration: Number(json.format.duration),
    codec: json.streams[0].codec_name,
    rate: Number(json.streams[0].sample_rate),
  };
}

/** Spans are in input order, start at 0, touch each other and end at the audio's end. */
function assertContiguous(narration: Narration, texts: string[]): void {
  const spans = narration.sentences;
  assert.deepEqual(spans.map((s) => s.text), texts);
  assert.equal(spans[0].start, 0);
  for (let i = 0; i < spans.length; i++) {
    assert.ok(spans[i].end > spans[i].start, `sentence ${i} has a positive length`);
    if (i > 0) assert.equal(spans[i].start, spans[i - 1].end);
  }
  assert.equal(spans[spans.length - 1].end, narration.duration);
}

/** Our spans against the server's true voiced spans, within 50 ms. */
function assertMatchesTruth(narration: Narration, server: EdgeServer): void {
  const truth = server.requests[server.requests.length - 1].sentences;
  assert.equal(truth.length, narration.sentences.length);
  narration.sentences.forEach((span, i) => {
    if (i > 0) assert.ok(Math.abs(span.start - truth[i].start) < 0.05, `start ${i}`);
    // Each span holds its sentence's voice (the pause after it belongs to it as well).
    assert.ok(span.end >= truth[i].end - 0.05, `end ${i}`);
  });
}

Deno.test("edge: real client, sentence boundaries, measured duration, cache hit", async () => {
  await withEdge({}, async (server, cacheDir) => {
    const first = await synthesize(EN, { engine: "edge", language: "en", cacheDir });
    assert.equal(server.connections, 1);
    assert.ok(first.audioPath.startsWith(cacheDir) && first.audioPath.endsWith(".mp3"));
    const name = first.audioPath.split("/").pop()!;
    assert.equal(dirname(first.audioPath), join(cacheDir, name.slice(0, 2)));
    const probe = await ffprobe(first.audioPath);
    assert.equal(probe.codec, "mp3");
    assert.equal(probe.rate, 24000);
    assert.ok(Math.abs(probe.duration - first.duration) < 0.001);
    assert.ok(Math.abs(first.duration - server.requests[0].duration) < 0.15);
    assertContiguous(first, EN);
    assertMatchesTruth(first, server);
    assert.ok(first.words.length >= 15);
    for (let i = 1; i < first.words.length; i++) {
      assert.ok(first.words[i].start >= first.words[i - 1].start);
    }
    assert.equal(first.words[0].text, "The");
    // The request asked for the default voice and no speed change.
    assert.match(server.requests[0].ssml, /<voice name="en-US-AriaNeural">/);
    assert.match(server.requests[0].ssml, /rate="\+0%"/);

    const again = await synthesize(EN, { engine: "edge", language: "en", cacheDir });
    assert.equal(server.connections, 1, "cache hit opens no connection");
    assert.deepEqual(again, first);
    const other = await synthesize(EN, { engine: "edge", language: "en", cacheDir, rate: -20 });
    assert.equal(server.connections, 2, "another rate is another cache entry");
    assert.notEqual(other.audioPath, first.audioPath);
    assert.match(server.requests[1].ssml, /rate="-20%"/);
  });
});

Deno.test("edge: word boundaries only, zh voice, mapped back onto the sentences", async () => {
  await withEdge({ sentenceBoundaries: false }, async (server, cacheDir) => {
    const en = await synthesize(EN, { engine: "edge", language: "en", cacheDir });
    assertContiguous(en, EN);
    assertMatchesTruth(en, server);
    const zh = await synthesize(ZH, { engine: "edge", language: "zh", cacheDir });
    assert.match(server.requests[1].ssml, /xml:lang="zh-CN"><voice name="zh-CN-XiaoxiaoNeural">/);
    assertContiguous(zh, ZH);
    assertMatchesTruth(zh, server);
    assert.equal(zh.words[0].text, "小");
  });
});

Deno.test("edge: input sentences the service merges still get their own start", async () => {
  await withEdge({}, async (server, cacheDir) => {
    // No final punctuation: the server hears one sentence where the input has two.
    const texts = ["Question: how many apples are left", "Answer: three apples are left."];
    const narration = await synthesize(texts, { engine: "edge", language: "en", cacheDir });
    assert.equal(server.requests[0].sentences.length, 1);
    assertContiguous(narration, texts);
    // Word boundaries place the second start at the word "Answer".
    const answer = narration.words.find((w) => w.text === "Answer")!;
    assert.ok(Math.abs(narration.sentences[1].start - answer.start) < 0.001);
  });
});

Deno.test("edge: without any boundary events, time is shared by text length", async () => {
  await withEdge(
    { sentenceBoundaries: false, wordBoundaries: false },
    async (_server, cacheDir) => {
      const narration = await synthesize(EN, { engine: "edge", language: "en", cacheDir });
      assertContiguous(narration, EN);
      assert.deepEqual(narration.words, []);
      const joined = EN.join(" ");
      const share = narration.sentences[1].start / narration.duration;
      assert.ok(Math.abs(share - (EN[0].length + 1) / joined.length) < 1e-9);
    },
  );
});

Deno.test("edge: SSML escapes markup characters and the text arrives intact", async () => {
  await withEdge({}, async (server, cacheDir) => {
    const tricky = ['Tom said "a < b & c > d".', "It's </prosody> <b>bold</b> & done!"];
    const narration = await synthesize(tricky, { engine: "edge", language: "en", cacheDir });
    assert.equal(server.rejected, 0);
    const request = server.requests[0];
    assert.equal(request.text, tricky.join(" "));
    assert.match(request.ssml, /&quot;a &lt; b &amp; c &gt; d&quot;/);
    assert.match(request.ssml, /It&apos;s &lt;\/prosody&gt;/);
    assertContiguous(narration, tricky);
    assertMatchesTruth(narration, server);
  });
});

Deno.test("edge: retries after throttling, refused handshakes, empty turns, bad messages", async () => {
  for (const mode of ["mid-turn", "before-audio", "refuse", "no-audio", "garbage"] as const) {
    await withEdge({ throttle: { connections: 2, mode } }, async (server, cacheDir) => {
      const narration = await synthesize(EN, {
        engine: "edge",
        language: "en",
        cacheDir,
        retryDelayMs: 5,
      });
      assert.equal(server.connections, 3, `${mode}: two failures, then success`);
      assertContiguous(narration, EN);
      assertMatchesTruth(narration, server);
      const probe = await ffprobe(narration.audioPath);
      assert.ok(Math.abs(probe.duration - narration.duration) < 0.001);
    });
  }
});

Deno.test("edge: a silent server times out the attempt, the retry succeeds", async () => {
  await withEdge({ throttle: { connections: 1, mode: "hang" } }, async (server, cacheDir) => {
    const narration = await synthesize(EN, {
      engine: "edge",
      language: "en",
      cacheDir,
      retryDelayMs: 5,
      // Long enough for a real answer on a loaded 2-core CI machine; the hung attempt costs this.
      attemptTimeoutMs: 2500,
    });
    assert.equal(server.connections, 2);
    assertContiguous(narration, EN);
  });
});

Deno.test("edge: aborting mid-request rejects and leaves no socket behind", async () => {
  const controller = new AbortController();
  await withEdge(
    { onSsml: () => controller.abort(new Error("user abort")) },
    async (server, cacheDir) => {
      await assert.rejects(
        synthesize(EN, { engine: "edge", language: "en", cacheDir, signal: controller.signal }),
        /user abort/,
      );
      assert.equal(server.connections, 1);
    },
  );
});

Deno.test("edge: exhausted retries throw one line and cache nothing", async () => {
  await withEdge(
    { throttle: { connections: 100, mode: "mid-turn" } },
    async (server, cacheDir) => {
      const error = await synthesize(EN, {
        engine: "edge",
        language: "en",
        cacheDir,
        attempts: 3,
        retryDelayMs: 5,
      }).then(() => undefined, (e: Error) => e);
      assert.ok(error instanceof Error);
      assert.match(error.message, /^edge TTS failed after 3 attempt\(s\): /);
      assert.ok(!error.message.includes("\n"));
      assert.equal(server.connections, 3);
      const files: string[] = [];
      for await (const entry of Deno.readDir(cacheDir)) files.push(entry.name);
      for (const folder of files) {
        for await (const entry of Deno.readDir(join(cacheDir, folder))) {
          assert.ok(!entry.name.endsWith(".json"), "no timings sidecar after a failure");
        }
      }
    },
  );
});

Deno.test("edge: concurrency limit holds across calls", async () => {
  await withEdge({}, async (server, cacheDir) => {
    setEdgeConcurrency(1);
    try {
      const texts = [["One small step."], ["Two big steps."], ["Three giant leaps."]];
      const results = await Promise.all(
        texts.map((t) => synthesize(t, { engine: "edge", language: "en", cacheDir })),
      );
      assert.equal(server.maxActive, 1);
      assert.equal(server.connections, 3);
      results.forEach((r, i) => assertContiguous(r, texts[i]));
      // Identical calls at the same time share one request.
      const twins = await Promise.all(
        [0, 1].map(() => synthesize(EN, { engine: "edge", language: "en", cacheDir })),
      );
      assert.equal(server.connections, 4);
      assert.deepEqual(twins[0], twins[1]);
    } finally {
      setEdgeConcurrency(4);
    }
    assert.throws(() => setEdgeConcurrency(0), /positive integer/);
  });
});

/** An espeak-ng wrapper that counts its runs in a file. */
async function countingEspeak(dir: string): Promise<{ bin: string; runs: () => Promise<number> }> {
  const bin = join(dir, "espeak_counter.sh");
  const log = join(dir, "runs.log");
  await Deno.writeTextFile(bin, `#!/bin/sh\necho run >> '${log}'\nexec espeak-ng "$@"\n`);
  await Deno.chmod(bin, 0o755);
  const runs = async (): Promise<number> => {
    const text = await Deno.readTextFile(log).catch(() => "");
    return text.split("\n").filter((l) => l === "run").length;
  };
  return { bin, runs };
}

Deno.test("espeak: en WAV duration is the sum of the spans; cache hit skips espeak", async () => {
  await withTempDir(async (cacheDir) => {
    const { bin, runs } = await countingEspeak(cacheDir);
    const texts = ["First sentence here.", "-v starts with a dash, still spoken.", "The end!"];
    const narration = await synthesize(texts, {
      engine: "espeak",
      language: "en",
      cacheDir,
      espeakBin: bin,
    });
    assert.equal(await runs(), 1, "one espeak run speaks all sentences");
    assert.ok(narration.audioPath.endsWith(".wav"));
    const probe = await ffprobe(narration.audioPath);
    assert.equal(probe.codec, "pcm_s16le");
    assert.ok(Math.abs(probe.duration - narration.duration) < 0.001);
    const total = narration.sentences.reduce((sum, s) => sum + (s.end - s.start), 0);
    assert.ok(Math.abs(total - narration.duration) < 1e-9);
    assertContiguous(narration, texts);
    // Each sentence is sound followed by the 150 ms pause: a subtitle changes in the pause.
    const wav = parseWav(await Deno.readFile(narration.audioPath));
    const samples = new Int16Array(wav.data.buffer, wav.data.byteOffset, wav.data.length / 2);
    const at = (seconds: number) => Math.round(seconds * wav.sampleRate);
    for (const [i, span] of narration.sentences.entries()) {
      const sound = samples.subarray(at(span.start), at(span.end) - (i < 2 ? at(0.15) : 0));
      const loud = sound.reduce((n, v) => n + (Math.abs(v) > 1 ? 1 : 0), 0);
      assert.ok(loud > sound.length / 2, `sentence ${i} is mostly sound`);
      assert.ok(
        sound.subarray(-50).some((v) => Math.abs(v) > 1),
        `sentence ${i} sounds to its end`,
      );
      if (i < 2) {
        const pause = samples.subarray(at(span.end) - at(0.15), at(span.end));
        assert.ok(pause.every((v) => v === 0), `a silent pause ends sentence ${i}`);
      }
    }
    // The dash sentence was spoken, not taken as an option: it is the longest one.
    const lengths = narration.sentences.map((s) => s.end - s.start);
    assert.equal(Math.max(...lengths), lengths[1]);
    assert.deepEqual(narration.words, []);

    const again = await synthesize(texts, {
      engine: "espeak",
      language: "en",
      cacheDir,
      espeakBin: bin,
    });
    assert.equal(await runs(), 1, "cache hit runs no espeak");
    assert.deepEqual(again, narration);

    const faster = await synthesize(texts, {
      engine: "espeak",
      language: "en",
      cacheDir,
      espeakBin: bin,
      rate: 50,
    });
    assert.equal(await runs(), 2);
    assert.ok(faster.duration < narration.duration * 0.85);
  });
});

Deno.test("espeak: zh with the cmn voice, blank sentences get empty spans", async () => {
  await withTempDir(async (cacheDir) => {
    const texts = [ZH[0], "  ", ZH[1]];
    const narration = await synthesize(texts, { engine: "espeak", language: "zh", cacheDir });
    const probe = await ffprobe(narration.audioPath);
    assert.ok(Math.abs(probe.duration - narration.duration) < 0.001);
    const spans = narration.sentences;
    assert.equal(spans.length, 3);
    assert.equal(spans[0].start, 0);
    assert.equal(spans[1].start, spans[1].end, "blank sentence is empty");
    assert.equal(spans[2].start, spans[1].end);
    assert.equal(spans[2].end, narration.duration);
    assert.ok(spans[0].end - spans[0].start > 0.5 && spans[2].end - spans[2].start > 0.5);
  });
});

Deno.test("bad input and missing tools fail with one-line errors", async () => {
  await withTempDir(async (cacheDir) => {
    const base = { engine: "espeak", language: "en", cacheDir } as const;
    await assert.rejects(synthesize([], base), /nothing to speak/);
    await assert.rejects(synthesize([" ", "..."], base), /nothing to speak/);
    await assert.rejects(synthesize(["Hi."], { ...base, rate: -100 }), /rate/);
    await assert.rejects(
      synthesize(["Hi."], { ...base, espeakBin: join(cacheDir, "no-such-espeak") }),
      /not found/,
    );
    await assert.rejects(
      synthesize(["Hi."], { ...base, espeakBin: "false" }),
      (e: Error) => /^false exited with code 1/.test(e.message) && !e.message.includes("\n"),
    );
    const aborted = AbortSignal.abort(new Error("stop now"));
    await assert.rejects(
      synthesize(["Hi."], { ...base, engine: "edge", signal: aborted }),
      /stop now/,
    );
  });
});

/** 16-bit mono audio from runs of [value, seconds] at 1 kHz. */
function pcm(runs: [number, number][]): PcmAudio {
  const samples: number[] = [];
  for (const [value, seconds] of runs) {
    for (let i = 0; i < seconds * 1000; i++) {
      samples.push(value === 0 ? 0 : value * (i % 2 ? 1 : -1));
    }
  }
  return {
    sampleRate: 1000,
    channels: 1,
    bitsPerSample: 16,
    data: new Uint8Array(Int16Array.from(samples).buffer),
  };
}

Deno.test("espeak: sentence breaks are the longest silences, only when unmistakable", () => {
  // Sound, a short pause inside a sentence, a break, sound, a break, sound, trailing silence.
  const audio = pcm([[0, 0.01], [900, 1], [0, 0.3], [900, 1], [1, 3], [800, 2], [0, 2.9], [
    700,
    1,
  ], [0, 0.4]]);
  const breaks = sentenceBreaks(audio, 2);
  assert.ok(breaks);
  assert.deepEqual(breaks.breaks, [{ start: 2310, end: 5310 }, { start: 7310, end: 10210 }]);
  assert.equal(breaks.soundEnd, 11210, "the trailing silence is not sound");
  // Leading and trailing silence never count as breaks.
  assert.equal(sentenceBreaks(pcm([[0, 5], [900, 1], [0, 5]]), 1), undefined);
  // A break not clearly longer than the other silences: no guess.
  assert.equal(sentenceBreaks(pcm([[900, 1], [0, 1], [900, 1], [0, 0.6], [900, 1]]), 1), undefined);
  // Too short to be a break at all, and more breaks asked for than there are.
  assert.equal(sentenceBreaks(pcm([[900, 1], [0, 0.2], [900, 1]]), 1), undefined);
  assert.equal(sentenceBreaks(pcm([[900, 1], [0, 3], [900, 1]]), 2), undefined);
  // Only what espeak-ng writes: 16-bit mono.
  assert.equal(sentenceBreaks({ ...audio, channels: 2 }, 2), undefined);
});

Deno.test("espeak: one run cut at its breaks matches sentences spoken one by one", async () => {
  const texts = [
    "Tom had 3 apples & 2 pears.",
    "",
    'He said, <quietly> "I will share them."',
    "-v is not an option here.",
    "The end!",
  ];
  const options = { voice: "en-us", rate: 0, espeakBin: "espeak-ng" };
  const parts = await speakTogether(texts, options);
  assert.ok(parts, "the breaks are found");
  assert.equal(parts.length, texts.length);
  assert.equal(parts[1], undefined, "nothing to say, nothing spoken");
  for (const [i, text] of texts.entries()) {
    if (!text) continue;
    const alone = new Deno.Command("espeak-ng", {
      args: ["-v", "en-us", "-z", "--stdout", "--stdin"],
      stdin: "piped",
      stdout: "piped",
    }).spawn();
    const writer = alone.stdin.getWriter();
    await writer.write(new TextEncoder().encode(text));
    await writer.close();
    const single = parseWav((await alone.output()).stdout);
    const ratio: number = parts[i]!.data.length / single.data.length;
    // The same words: a part differs only by the silence espeak puts around a lone sentence.
    assert.ok(
      ratio > 0.75 && ratio < 1.05,
      `sentence ${i}: ${ratio.toFixed(2)} of its lone length`,
    );
    assert.equal(parts[i]!.sampleRate, single.sampleRate);
  }
  // One sentence: nothing to cut, the caller speaks it alone.
  assert.equal(await speakTogether(["Just one.", " "], options), undefined);
});
