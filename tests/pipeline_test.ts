import assert from "node:assert/strict";
import { join } from "node:path";
import { getDataset, type SampleItem } from "../src/datasets/mod.ts";
import { AtomicTextWriter } from "../src/atomic_write/mod.ts";
import {
  dropEmptyPromptPart,
  fillTemplate,
  renderShard,
  type SampleRenderer,
  videoPath,
} from "../src/pipeline/mod.ts";
import { withTempDir } from "./helpers/video.ts";

async function* items(list: SampleItem[]): AsyncGenerator<SampleItem> {
  for (const item of list) yield item;
}

async function* broken(): AsyncGenerator<SampleItem> {
  yield sample(0);
  throw new Error("disk on fire");
}

function sample(index: number, prompt = `Question ${index}?`): SampleItem {
  return { index, sample: { index, prompt, response: `Answer ${index}.` } };
}

/**
 * The boxes of a (tiny, frameless) MP4: ftyp, a moov holding only the fingerprint's metadata
 * (`udta/meta/ilst/©cmt/data`, as the encoders write it) and an mdat holding `payload`.
 */
function tinyMp4(payload: string, fingerprint: string): Uint8Array {
  const box = (type: string, ...body: Uint8Array[]) => {
    const length = body.reduce((n, part) => n + part.length, 0);
    const out = new Uint8Array(8 + length);
    new DataView(out.buffer).setUint32(0, out.length);
    out.set([...type].map((c) => c.charCodeAt(0)), 4); // one byte each ('©' is 0xA9)
    let at = 8;
    for (const part of body) out.set(part, (at += part.length) - part.length);
    return out;
  };
  const text = (value: string) => new TextEncoder().encode(value);
  const comment = box(
    "data",
    new Uint8Array([0, 0, 0, 1, 0, 0, 0, 0]),
    text(`videoword-fingerprint:${fingerprint}`),
  );
  const meta = box("meta", new Uint8Array(4), box("ilst", box("\xa9cmt", comment)));
  const parts = [
    box("ftyp", text("isom\0\0\x02\0")),
    box("moov", box("udta", meta)),
    box("mdat", text(payload)),
  ];
  return new Uint8Array(parts.flatMap((part) => [...part]));
}

/** A renderer that writes a small MP4 after a random delay, failing on request. */
function fakeRenderer(options: { failOn?: Set<number>; calls?: number[] } = {}): SampleRenderer {
  return {
    kind: "silent",
    plan(s) {
      if (s.prompt === "skip me") return Promise.resolve({ skip: "too short: test" });
      return Promise.resolve({
        state: s.index,
        fingerprint: `fp-${s.index}-${s.prompt.length}`,
        values: { prompt: s.prompt, response: s.response, seconds: 10 },
        fields: {
          prompt_text: s.prompt,
          response_text: s.response,
          frames: 1,
          fps: 1,
          width: 2,
          height: 2,
          duration: 1,
        },
      });
    },
    async render(planned, outPath) {
      const index = planned.state as number;
      options.calls?.push(index);
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 15)));
      if (options.failOn?.has(index)) throw new Error(`encoder exploded on ${index}\nmore`);
      const bytes = tinyMp4(`video ${index}`, planned.fingerprint);
      await Deno.writeFile(outPath, bytes);
      return { bytes: bytes.length };
    },
  };
}

Deno.test("fillTemplate substitutes once and leaves unknown placeholders", () => {
  assert.equal(
    fillTemplate('Q: "{prompt}" A: "{response}" in {seconds} s', {
      prompt: "say {response}",
      response: "42",
      seconds: 10,
    }),
    'Q: "say {response}" A: "42" in 10 s',
  );
  assert.equal(fillTemplate("{spoken}|{seconds}", { prompt: "", seconds: 12.34 }), "{spoken}|12.3");
});

Deno.test("narrated inference templates drop their first part when the prompt is empty", () => {
  assert.equal(
    dropEmptyPromptPart(
      'Story context: "{prompt}" The video shows the story continuation with synchronized subtitles.',
    ),
    "The video shows the story continuation with synchronized subtitles.",
  );
  assert.equal(
    dropEmptyPromptPart('故事上文："{prompt}" 视频显示故事续写的同步字幕。'),
    "视频显示故事续写的同步字幕。",
  );
  assert.equal(dropEmptyPromptPart('Math problem: "{prompt}"'), "");
  assert.equal(dropEmptyPromptPart("no placeholder"), "no placeholder");
});

Deno.test("AtomicTextWriter shows nothing until commit and leaves the old file on abort", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "m.jsonl");
    await Deno.writeTextFile(path, "old\n");
    const aborted = new AtomicTextWriter(path);
    await aborted.open();
    await aborted.write("new\n");
    assert.equal(await Deno.readTextFile(path), "old\n");
    await aborted.abort();
    assert.equal(await Deno.readTextFile(path), "old\n");
    const committed = new AtomicTextWriter(path);
    await committed.open();
    for (let i = 0; i < 5000; i++) await committed.write(`line ${i} ${"x".repeat(30)}\n`);
    await committed.commit();
    const lines = (await Deno.readTextFile(path)).trim().split("\n");
    assert.equal(lines.length, 5000);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["m.jsonl"]);
  });
});

Deno.test("renderShard: manifests in row order whatever finishes first; skips and failures counted", async () => {
  await withTempDir(async (dir) => {
    const spec = getDataset("gsm8k");
    const list: SampleItem[] = [];
    for (let i = 100; i < 140; i++) {
      if (i === 105) list.push({ index: i, skip: "unreadable row: line 6: invalid JSON" });
      else if (i === 107) list.push(sample(i, "skip me"));
      else list.push(sample(i));
    }
    const logs: string[] = [];
    const stats = await renderShard(spec, items(list), {
      baseDir: dir,
      start: 100,
      count: 40,
      modes: ["inference", "rendering"],
      workers: 6,
      templates: { inference: "I:{prompt}", rendering: "R:{prompt}|{response}" },
      progress: false,
      maxTextChars: 20_000,
      log: (line) => logs.push(line),
      renderer: fakeRenderer({ failOn: new Set([111]) }),
    });
    assert.equal(stats.rows, 40);
    assert.equal(stats.rendered, 37);
    assert.equal(stats.skipped, 2);
    assert.deepEqual(stats.skipped_by_reason, { "unreadable row": 1, "too short": 1 });
    assert.equal(stats.failed, 1);
    assert.deepEqual(stats.failures, [{ index: 111, error: "encoder exploded on 111" }]);
    assert.ok(logs.some((l) => l.includes("row 111: failed: encoder exploded on 111")));

    const inference = (await Deno.readTextFile(stats.manifests[0])).trim().split("\n")
      .map((l) => JSON.parse(l));
    const rendering = (await Deno.readTextFile(stats.manifests[1])).trim().split("\n")
      .map((l) => JSON.parse(l));
    const expected = list.map((i) => i.index).filter((i) => ![105, 107, 111].includes(i));
    assert.deepEqual(inference.map((l) => l.index), expected);
    assert.deepEqual(rendering.map((l) => l.index), expected);
    assert.equal(inference[0].prompt, "I:Question 100?");
    assert.equal(rendering[0].prompt, "R:Question 100?|Answer 100.");
    assert.deepEqual(Object.keys(inference[0]).slice(0, 2), ["video_path", "prompt"]);
    assert.equal(inference[0].video_path, videoPath(dir, "gsm8k", 100));
    assert.ok(stats.manifests[0].endsWith("gsm8k_inference_video_data_100.jsonl"));
    const statsFile = JSON.parse(
      await Deno.readTextFile(join(dir, "gsm8k", "gsm8k_stats_100.json")),
    );
    assert.equal(statsFile.rendered, 37);
  });
});

Deno.test("renderShard resumes: existing videos are kept, only missing ones made", async () => {
  await withTempDir(async (dir) => {
    const spec = getDataset("gsm8k");
    const run = async (calls: number[]) =>
      await renderShard(spec, items([0, 1, 2, 3, 4, 5].map((i) => sample(i))), {
        baseDir: dir,
        start: 0,
        count: 6,
        modes: ["inference"],
        workers: 3,
        templates: { inference: "{prompt}", rendering: "{prompt}" },
        progress: false,
        maxTextChars: 20_000,
        renderer: fakeRenderer({ calls }),
      });
    const first: number[] = [];
    await run(first);
    const manifest = await Deno.readTextFile(
      join(dir, "gsm8k", "gsm8k_inference_video_data_0.jsonl"),
    );
    await Deno.remove(videoPath(dir, "gsm8k", 2));
    await Deno.remove(videoPath(dir, "gsm8k", 4));
    // A video cut short (as a full disk left them): not trusted, made again.
    const cut = await Deno.readFile(videoPath(dir, "gsm8k", 5));
    await Deno.writeFile(videoPath(dir, "gsm8k", 5), cut.subarray(0, cut.length - 3));
    // A stale temp file of this shard (a killed encode) and one of another shard.
    const videoDir = join(dir, "gsm8k", "video");
    await Deno.writeTextFile(join(videoDir, ".gsm8k_000003.mp4.999.0.tmp"), "partial");
    await Deno.writeTextFile(join(videoDir, ".gsm8k_000050.mp4.999.0.tmp"), "other shard");
    const second: number[] = [];
    const stats = await run(second);
    assert.deepEqual(second.sort(), [2, 4, 5]);
    assert.equal(stats.reused, 3);
    assert.equal(stats.rendered, 3);
    assert.equal(
      await Deno.readTextFile(join(dir, "gsm8k", "gsm8k_inference_video_data_0.jsonl")),
      manifest,
    );
    const left = [...Deno.readDirSync(videoDir)].map((e) => e.name).filter((n) =>
      n.endsWith(".tmp")
    );
    assert.deepEqual(left, [".gsm8k_000050.mp4.999.0.tmp"]);
  });
});

Deno.test("renderShard: a reader that throws leaves no manifest and no temp files", async () => {
  await withTempDir(async (dir) => {
    const spec = getDataset("gsm8k");
    await assert.rejects(
      renderShard(spec, broken(), {
        baseDir: dir,
        start: 0,
        modes: ["inference"],
        workers: 2,
        templates: { inference: "{prompt}", rendering: "{prompt}" },
        progress: false,
        maxTextChars: 20_000,
        renderer: fakeRenderer(),
      }),
      /disk on fire/,
    );
    const names = [...Deno.readDirSync(join(dir, "gsm8k"))].map((e) => e.name);
    assert.deepEqual(names, ["video"]);
  });
});
