/**
 * Provenance (#17 section 1): every video carries a fingerprint of what it shows, embedded in the
 * MP4 and written on its manifest lines; resume keeps a video only when its fingerprint is the one
 * the current row and options make.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { getDataset, type SampleItem } from "../src/datasets/mod.ts";
import { mp4Fingerprint } from "../src/encode/mod.ts";
import {
  type FingerprintInput,
  type NarratedOptions,
  narratedRenderer,
  type PlannedSample,
  RENDERER_VERSION,
  renderShard,
  type ShardStats,
  type SilentOptions,
  silentRenderer,
  videoFingerprint,
  videoPath,
} from "../src/pipeline/mod.ts";
import { type OptionValues, renderSettings, resolveOptions } from "../src/options/mod.ts";
import { probeVideo, readJsonl, runVideoword, withTempDir } from "./helpers/video.ts";

const BASE_INPUT: FingerprintInput = {
  kind: "silent",
  textKind: "math",
  language: "en",
  prompt: "What is 2 + 3?",
  response: "2 + 3 = 5. The answer is 5.",
  fps: 19.3,
  width: 640,
  height: 360,
  layout: {
    width: 640,
    height: 360,
    margin: 15,
    fontSize: 28,
    lineHeight: 32,
    frames: 193,
    longPrompt: "paginate",
    promptPageFrames: 10,
    pace: "one",
    holdFrames: 19,
    maxUnitsPerFrame: 4,
    minFontSize: 20,
    separatorThickness: 2,
    separatorGap: 4,
  },
  paint: { background: "#FFFFFF", foreground: "#000000" },
  narration: {
    engine: "espeak",
    voice: "en-us",
    rate: 1,
    maxDuration: 30,
    frameStep: 1,
    fixedDuration: null,
    margin: 15,
    fontSize: 28,
    minFontSize: 18,
  },
  encode: { codec: "h264", encoder: "native", qp: 19 },
};

/** One change per setting the fingerprint covers. */
const CHANGES: [string, (input: FingerprintInput) => FingerprintInput][] = [
  ["kind", (i) => ({ ...i, kind: "narrated" })],
  ["textKind", (i) => ({ ...i, textKind: "story" })],
  ["language", (i) => ({ ...i, language: "zh" })],
  ["prompt", (i) => ({ ...i, prompt: "What is 2 + 4?" })],
  ["response", (i) => ({ ...i, response: "2 + 3 = 5. The answer is 6." })],
  ["fps", (i) => ({ ...i, fps: 24 })],
  ["width", (i) => ({ ...i, width: 832 })],
  ["height", (i) => ({ ...i, height: 480 })],
  ...(Object.keys(BASE_INPUT.layout!) as (keyof NonNullable<FingerprintInput["layout"]>)[]).map(
    (key): [string, (input: FingerprintInput) => FingerprintInput] => [
      `layout.${key}`,
      (i) => {
        const value = i.layout![key];
        const changed = typeof value === "number" ? value + 1 : key === "pace" ? "fit" : "shrink";
        return { ...i, layout: { ...i.layout!, [key]: changed } };
      },
    ],
  ),
  ["paint.background", (i) => ({ ...i, paint: { ...i.paint!, background: "#FFFFFE" } })],
  ["paint.foreground", (i) => ({ ...i, paint: { ...i.paint!, foreground: "#000001" } })],
  ["narration.engine", (i) => ({ ...i, narration: { ...i.narration!, engine: "piper" } })],
  ["narration.voice", (i) => ({ ...i, narration: { ...i.narration!, voice: "en-gb" } })],
  ["narration.rate", (i) => ({ ...i, narration: { ...i.narration!, rate: 1.1 } })],
  ["narration.maxDuration", (i) => ({ ...i, narration: { ...i.narration!, maxDuration: 20 } })],
  ["narration.frameStep", (i) => ({ ...i, narration: { ...i.narration!, frameStep: 4 } })],
  ["narration.fixedDuration", (i) => ({
    ...i,
    narration: { ...i.narration!, fixedDuration: { seconds: 5, minSpeed: 0.85, maxSpeed: 1.25 } },
  })],
  ["narration.margin", (i) => ({ ...i, narration: { ...i.narration!, margin: 16 } })],
  ["narration.fontSize", (i) => ({ ...i, narration: { ...i.narration!, fontSize: 30 } })],
  ["narration.minFontSize", (i) => ({ ...i, narration: { ...i.narration!, minFontSize: 17 } })],
  ["encode.qp", (i) => ({ ...i, encode: { codec: "h264", encoder: "native", qp: 20 } })],
  ["encode.encoder", (i) => ({
    ...i,
    encode: { codec: "h264", encoder: "x264", crf: 23, preset: "veryfast" },
  })],
  ["encode.codec", (i) => ({ ...i, encode: { codec: "mpeg4", crf: 4 } })],
];

Deno.test("fingerprint: changing any single setting changes it; equal inputs agree", () => {
  const base = videoFingerprint(BASE_INPUT);
  assert.match(base, /^[0-9a-f]{32}$/);
  assert.equal(RENDERER_VERSION >= 1, true);
  // Key order does not matter (canonical JSON), the values do.
  const reordered = Object.fromEntries(Object.entries(BASE_INPUT).reverse()) as FingerprintInput;
  assert.equal(videoFingerprint(reordered), base);
  const seen = new Map<string, string>([[base, "base"]]);
  for (const [name, change] of CHANGES) {
    const fingerprint = videoFingerprint(change(BASE_INPUT));
    assert.notEqual(fingerprint, base, `${name} does not change the fingerprint`);
    assert.equal(seen.has(fingerprint), false, `${name} collides with ${seen.get(fingerprint)}`);
    seen.set(fingerprint, name);
  }
  // x264's settings (the preset too) are in it.
  const x264 = {
    ...BASE_INPUT,
    encode: { codec: "h264", encoder: "x264", crf: 23, preset: "fast" },
  };
  assert.notEqual(
    videoFingerprint(x264 as FingerprintInput),
    videoFingerprint({ ...x264, encode: { ...x264.encode, preset: "medium" } } as FingerprintInput),
  );
});

/** The fingerprint `renderer` plans for `sample` (no video is made). */
async function planned(
  renderer: { plan(s: { index: number; prompt: string; response: string }): Promise<unknown> },
  sample: { index: number; prompt: string; response: string },
): Promise<string> {
  const plan = await renderer.plan(sample) as PlannedSample | { skip: string };
  if ("skip" in plan) throw new Error(`skipped: ${plan.skip}`);
  return plan.fingerprint;
}

Deno.test("silentRenderer: every option that changes a frame or the bytes reaches the fingerprint", async () => {
  const spec = getDataset("gsm8k");
  const sample = { index: 0, prompt: TEXTS[0][0], response: TEXTS[0][1] };
  const base = await planned(silentRenderer(spec), sample);
  const changes: [string, SilentOptions][] = [
    ["layout.width", { layout: { width: 800 } }],
    ["layout.height", { layout: { height: 400 } }],
    ["layout.margin", { layout: { margin: 20 } }],
    ["layout.fontSize", { layout: { fontSize: 26 } }],
    ["layout.lineHeight", { layout: { lineHeight: 34 } }],
    ["layout.frames", { layout: { frames: 150 } }],
    ["layout.longPrompt", { layout: { longPrompt: "shrink" } }],
    ["layout.promptPageFrames", { layout: { promptPageFrames: 12 } }],
    ["layout.pace", { layout: { pace: "fit" } }],
    ["layout.holdFrames (fit)", { layout: { pace: "fit", holdFrames: 30 } }],
    ["layout.maxUnitsPerFrame (fit)", { layout: { pace: "fit", maxUnitsPerFrame: 3 } }],
    ["paint.background", { paint: { background: "#FFFFF0" } }],
    ["paint.foreground", { paint: { foreground: "#101010" } }],
    ["fps", { fps: 24 }],
    ["encode.qp", { encode: { qp: 22 } }],
    ["encode.encoder", { encode: { encoder: "x264" } }],
    ["encode.codec", { encode: { codec: "mpeg4" } }],
    ["encode.crf (x264)", { encode: { encoder: "x264", crf: 20 } }],
    ["encode.preset (x264)", { encode: { encoder: "x264", preset: "fast" } }],
  ];
  const seen = new Set([base]);
  for (const [name, options] of changes) {
    const fingerprint = await planned(silentRenderer(spec, options), sample);
    assert.equal(seen.has(fingerprint), false, `${name} does not change the fingerprint`);
    seen.add(fingerprint);
  }
  // Settings that cannot change the bytes do not force a re-render.
  const x264 = await planned(silentRenderer(spec, { encode: { encoder: "x264" } }), sample);
  assert.equal(
    await planned(silentRenderer(spec, { encode: { encoder: "x264", qp: 30 } }), sample),
    x264,
  );
  assert.equal(
    await planned(silentRenderer(spec, { encode: { ffmpegBin: "/usr/bin/ffmpeg" } }), sample),
    base,
  );
  // Nor do layout settings the other settings make the plan ignore (the rule the CLI's
  // "is ignored" warning follows): they count as their defaults.
  const shrink = await planned(silentRenderer(spec, { layout: { longPrompt: "shrink" } }), sample);
  const ignored: [string, SilentOptions, string][] = [
    [
      "promptPageFrames (shrink)",
      { layout: { longPrompt: "shrink", promptPageFrames: 3 } },
      shrink,
    ],
    ["holdFrames (pace one)", { layout: { holdFrames: 30 } }, base],
    ["maxUnitsPerFrame (pace one)", { layout: { maxUnitsPerFrame: 3 } }, base],
  ];
  for (const [name, options, expected] of ignored) {
    assert.equal(await planned(silentRenderer(spec, options), sample), expected, name);
  }
});

Deno.test("fingerprint: an option is said to be ignored exactly when it cannot change it", async () => {
  const spec = getDataset("gsm8k");
  const sample = { index: 0, prompt: TEXTS[0][0], response: TEXTS[0][1] };
  const fingerprintOf = (values: OptionValues) =>
    planned(silentRenderer(spec, renderSettings("gsm8k", values).silent), sample);
  const changes: [keyof OptionValues, string, (v: OptionValues) => unknown][] = [
    ["crf", "--crf", () => 30],
    ["x264Preset", "--x264-preset", () => "fast"],
    ["qp", "--qp", () => 30],
    ["encoder", "--encoder", (v) => v.encoder === "native" ? "x264" : "native"],
    ["holdFrames", "--hold-frames", () => 30],
    ["maxUnitsPerFrame", "--max-units-per-frame", () => 3],
    ["promptPageFrames", "--prompt-page-frames", () => 12],
  ];
  let checked = 0;
  for (const [codec, encoder] of [["h264", "native"], ["h264", "x264"], ["mpeg4", "native"]]) {
    for (const pace of ["one", "fit"]) {
      for (const longPrompt of ["paginate", "shrink"]) {
        const flags = { codec, encoder, pace, longPrompt } as Partial<OptionValues>;
        const base = resolveOptions("render", { flags });
        assert.deepEqual(base.warnings, [], JSON.stringify(flags));
        const baseFingerprint = await fingerprintOf(base.values);
        for (const [key, flag, value] of changes) {
          const changed = resolveOptions("render", {
            flags: { ...flags, [key]: value(base.values) },
          });
          const warned = changed.warnings.some((w) => w.includes(`${flag} is ignored`));
          const same = await fingerprintOf(changed.values) === baseFingerprint;
          assert.equal(warned, same, `${flag} under ${JSON.stringify(flags)}: warned ${warned}`);
          checked++;
        }
      }
    }
  }
  assert.equal(checked, 84);
});

Deno.test("narratedRenderer: voice, rate, durations, layout and encoder reach the fingerprint", async () => {
  await withTempDir(async (cacheDir) => {
    const spec = getDataset("tinystories");
    const sample = {
      index: 0,
      prompt: "Tom had a red ball.",
      response: "He threw it high. The ball came down. Tom laughed.",
    };
    const tts = { engine: "espeak" as const, cacheDir };
    const of = (options: Partial<NarratedOptions> = {}) =>
      planned(narratedRenderer(spec, { ...options, tts: { ...tts, ...options.tts } }), sample);
    const base = await of();
    const changes: [string, Partial<NarratedOptions>][] = [
      ["tts.voices", { tts: { ...tts, voices: { en: "en-gb" } } }],
      ["tts.rate", { tts: { ...tts, rate: 1.1 } }],
      ["maxDuration", { maxDuration: 20 }],
      ["fps", { fps: 25 }],
      ["width", { width: 800 }],
      ["height", { height: 450 }],
      ["margin", { margin: 20 }],
      ["fontSize", { fontSize: 30 }],
      ["minFontSize", { minFontSize: 16 }],
      ["frameStep", { frameStep: 4 }],
      ["fixedDuration", { fixedDuration: { seconds: 12, minSpeed: 0.85, maxSpeed: 1.25 } }],
      ["encode.qp", { encode: { qp: 22 } }],
      ["encode.encoder", { encode: { encoder: "x264" } }],
    ];
    const seen = new Set([base]);
    for (const [name, options] of changes) {
      const fingerprint = await of(options);
      assert.equal(seen.has(fingerprint), false, `${name} does not change the fingerprint`);
      seen.add(fingerprint);
    }
    assert.equal(await of(), base, "the same options agree");
  });
});

async function* rows(texts: [string, string][]): AsyncIterable<SampleItem> {
  for (const [index, [prompt, response]] of texts.entries()) {
    yield { index, sample: { index, prompt, response } };
  }
}

const TEXTS: [string, string][] = [
  ["Tom has 3 apples and buys 2 more. How many apples?", "3 + 2 = 5. The answer is 5."],
  ["A box holds 4 pens. How many pens are in 3 boxes?", "4 * 3 = 12. The answer is 12."],
  ["Sam reads 7 pages a day. How many pages in 2 days?", "7 * 2 = 14. The answer is 14."],
];

/** A small, quick silent shard of `texts` rendered into `base`. */
function shard(
  base: string,
  texts: [string, string][],
  options: SilentOptions = {},
): Promise<ShardStats> {
  const spec = getDataset("gsm8k");
  return renderShard(spec, rows(texts), {
    baseDir: base,
    start: 0,
    count: texts.length,
    modes: ["inference", "rendering"],
    workers: 2,
    templates: { inference: "{prompt}", rendering: "{prompt} {response}" },
    progress: false,
    log: () => {},
    maxTextChars: 20_000,
    renderer: silentRenderer(spec, { ...options, layout: { frames: 24, ...options.layout } }),
  });
}

async function fileState(path: string): Promise<{ bytes: Uint8Array; mtime: number; ino: number }> {
  const stat = await Deno.stat(path);
  return { bytes: await Deno.readFile(path), mtime: stat.mtime!.getTime(), ino: stat.ino! };
}

Deno.test("resume: unchanged rows are kept untouched; a changed row or option is made again", async () => {
  await withTempDir(async (base) => {
    const first = await shard(base, TEXTS);
    assert.equal(first.rendered, 3);
    const paths = TEXTS.map((_, i) => videoPath(base, "gsm8k", i));
    const before = await Promise.all(paths.map(fileState));

    // Every manifest line carries the fingerprint embedded in its video; all lines differ.
    for (const mode of ["inference", "rendering"]) {
      const lines = await readJsonl(join(base, "gsm8k", `gsm8k_${mode}_video_data_0.jsonl`));
      assert.equal(lines.length, 3);
      for (const line of lines) {
        assert.match(String(line.fingerprint), /^[0-9a-f]{32}$/);
        assert.equal(await mp4Fingerprint(String(line.video_path)), line.fingerprint);
      }
      assert.equal(new Set(lines.map((l) => l.fingerprint)).size, 3);
    }

    // Unchanged: all kept, not re-encoded (same inode, same bytes, same mtime).
    const again = await shard(base, TEXTS);
    assert.deepEqual([again.reused, again.rendered, again.rerendered], [3, 0, 0]);
    for (const [i, path] of paths.entries()) {
      const now = await fileState(path);
      assert.equal(now.ino, before[i].ino);
      assert.equal(now.mtime, before[i].mtime);
      assert.deepEqual(now.bytes, before[i].bytes);
    }

    // Row 1's text changed (a re-download, a cleaned file): row 1 is made again and counted.
    const edited: [string, string][] = TEXTS.map((t, i) =>
      i === 1 ? [t[0], "4 * 3 = 12. So 12 pens in all."] : t
    );
    const changed = await shard(base, edited);
    assert.deepEqual([changed.reused, changed.rendered, changed.rerendered], [2, 1, 1]);
    const lines = await readJsonl(join(base, "gsm8k", "gsm8k_rendering_video_data_0.jsonl"));
    assert.equal(lines[1].response_text, "4 * 3 = 12. So 12 pens in all.");
    assert.equal(await mp4Fingerprint(paths[1]), lines[1].fingerprint);
    assert.notDeepEqual(await Deno.readFile(paths[1]), before[1].bytes);

    // An option that changes the pixels (the background): every video is made again.
    const painted = await shard(base, edited, { paint: { background: "#F0F0F0" } });
    assert.deepEqual([painted.reused, painted.rendered, painted.rerendered], [0, 3, 3]);

    // A video without a fingerprint (an older release) is not trusted either.
    const stripped = `${paths[0]}.stripped.mp4`;
    const ffmpeg = await new Deno.Command("ffmpeg", {
      args: ["-v", "error", "-i", paths[0], "-c", "copy", "-map_metadata", "-1", "-y", stripped],
    }).output();
    assert.equal(ffmpeg.code, 0);
    await Deno.rename(stripped, paths[0]);
    assert.equal(await mp4Fingerprint(paths[0]), null);
    const older = await shard(base, edited, { paint: { background: "#F0F0F0" } });
    assert.deepEqual([older.reused, older.rendered, older.rerendered], [2, 1, 1]);
  });
});

Deno.test("fingerprinted MP4s: byte-identical across runs, decodable, on every encoder path", async () => {
  await withTempDir(async (base) => {
    const encoders: [string, SilentOptions["encode"]][] = [
      ["native", { encoder: "native" }],
      ["x264", { encoder: "x264" }],
      ["mpeg4", { codec: "mpeg4" }],
    ];
    const fingerprints = new Set<string>();
    for (const [name, encode] of encoders) {
      const a = join(base, `${name}-a`);
      const b = join(base, `${name}-b`);
      await shard(a, TEXTS.slice(0, 1), { encode });
      await shard(b, TEXTS.slice(0, 1), { encode });
      const pathA = videoPath(a, "gsm8k", 0);
      assert.deepEqual(await Deno.readFile(pathA), await Deno.readFile(videoPath(b, "gsm8k", 0)));
      const fingerprint = await mp4Fingerprint(pathA);
      assert.match(String(fingerprint), /^[0-9a-f]{32}$/, name);
      fingerprints.add(fingerprint!);
      const probe = await probeVideo(pathA);
      assert.equal(probe.nb_frames, 24, name);
      // ffmpeg decodes every frame without a complaint.
      const decode = await new Deno.Command("ffmpeg", {
        args: ["-v", "error", "-xerror", "-i", pathA, "-f", "null", "-"],
      }).output();
      assert.equal(decode.code, 0, new TextDecoder().decode(decode.stderr));
      assert.equal(decode.stderr.length, 0, new TextDecoder().decode(decode.stderr));
    }
    assert.equal(fingerprints.size, 3, "each encoder path has its own fingerprint");
  });
});

function renderArgs(base: string, ...extra: string[]): string[] {
  return [
    "render",
    "gsm8k",
    ...["--source", "samples", "--num-samples", "2", "--base-dir", base],
    "--no-progress",
    ...extra,
  ];
}

async function stats(base: string): Promise<ShardStats> {
  return JSON.parse(await Deno.readTextFile(join(base, "gsm8k", "gsm8k_stats_0.json")));
}

Deno.test("render CLI: --background, --font-size, --x264-preset and --preset re-render; the same run keeps", async () => {
  await withTempDir(async (base) => {
    const run = async (...extra: string[]) => {
      const result = await runVideoword(renderArgs(base, ...extra));
      assert.equal(result.code, 0, result.stderr);
      return { ...(await stats(base)), output: result.stdout + result.stderr };
    };
    assert.equal((await run()).rendered, 2);
    const same = await run();
    assert.deepEqual([same.reused, same.rerendered], [2, 0]);
    for (
      const extra of [
        ["--background", "#FFFFF0"],
        ["--font-size", "26"],
        ["--encoder", "x264"],
        ["--encoder", "x264", "--x264-preset", "fast"],
        ["--preset", "wan"],
      ]
    ) {
      const changed = await run(...extra);
      assert.deepEqual([changed.reused, changed.rerendered], [0, 2], extra.join(" "));
      assert.match(changed.output, /re-rendered: input or options changed: 2/, extra.join(" "));
      const kept = await run(...extra);
      assert.deepEqual([kept.reused, kept.rerendered], [2, 0], extra.join(" "));
    }
  });
});

Deno.test("audio-render: the fingerprint survives the native path's ffmpeg audio mux", async () => {
  await withTempDir(async (base) => {
    const args = [
      "audio-render",
      "tinystories",
      ...["--source", "samples", "--num-samples", "1", "--tts", "espeak", "--base-dir", base],
      "--no-progress",
    ];
    const first = await runVideoword(args);
    assert.equal(first.code, 0, first.stderr);
    const dir = join(base, "tinystories_audio");
    const [line] = await readJsonl(join(dir, "tinystories_rendering_audio_video_data_0.jsonl"));
    assert.match(String(line.fingerprint), /^[0-9a-f]{32}$/);
    assert.equal(await mp4Fingerprint(String(line.video_path)), line.fingerprint);
    const again = await runVideoword(args);
    assert.equal(again.code, 0, again.stderr);
    const summary = JSON.parse(
      await Deno.readTextFile(join(dir, "tinystories_stats_0.json")),
    );
    assert.deepEqual([summary.reused, summary.rerendered], [1, 0]);
    const slower = await runVideoword([...args, "--rate=-10"]);
    assert.equal(slower.code, 0, slower.stderr);
    const changed = JSON.parse(
      await Deno.readTextFile(join(dir, "tinystories_stats_0.json")),
    );
    assert.deepEqual([changed.reused, changed.rerendered], [0, 1]);
    // The x264 path writes it in the same place, with its audio.
    const x264 = await runVideoword([...args, "--encoder", "x264"]);
    assert.equal(x264.code, 0, x264.stderr);
    const [x264Line] = await readJsonl(join(dir, "tinystories_rendering_audio_video_data_0.jsonl"));
    assert.notEqual(x264Line.fingerprint, line.fingerprint);
    assert.equal(await mp4Fingerprint(String(x264Line.video_path)), x264Line.fingerprint);
  });
});

/** `render gsm8k` of the first `rows` embedded rows into `base`; the dataset folder. */
async function renderRows(base: string, rows: number): Promise<string> {
  const result = await runVideoword([
    "render",
    "gsm8k",
    ...["--source", "samples", "--num-samples", String(rows), "--base-dir", base],
    "--no-progress",
  ]);
  assert.equal(result.code, 0, result.stderr);
  return join(base, "gsm8k");
}

/** Swap the files of rows `a` and `b` on disk (a botched copy, a reordered rsync). */
async function swapVideos(base: string, a: number, b: number): Promise<void> {
  const [pathA, pathB] = [videoPath(base, "gsm8k", a), videoPath(base, "gsm8k", b)];
  await Deno.rename(pathA, `${pathA}.swap`);
  await Deno.rename(pathB, pathA);
  await Deno.rename(`${pathA}.swap`, pathB);
}

Deno.test("verify: two videos swapped on disk are reported with their lines, exit 1", async () => {
  await withTempDir(async (base) => {
    const dir = await renderRows(base, 3);
    const clean = await runVideoword(["verify", dir]);
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    await swapVideos(base, 0, 1);
    const swapped = await runVideoword(["verify", dir, "--json"]);
    assert.equal(swapped.code, 1, swapped.stdout + swapped.stderr);
    const report = JSON.parse(swapped.stdout);
    const found = report.findings.map((f: Record<string, unknown>) =>
      `${f.kind} ${f.manifest}#${f.line} row ${f.index}`
    ).sort();
    assert.deepEqual(found, [
      "mismatch gsm8k_inference_video_data_0.jsonl#1 row 0",
      "mismatch gsm8k_inference_video_data_0.jsonl#2 row 1",
      "mismatch gsm8k_rendering_video_data_0.jsonl#1 row 0",
      "mismatch gsm8k_rendering_video_data_0.jsonl#2 row 1",
    ]);
    for (const finding of report.findings) {
      assert.match(finding.detail, /fingerprint is [0-9a-f]{32}, the line says [0-9a-f]{32}/);
    }
    // The plain report names them too, one line each.
    const text = await runVideoword(["verify", dir]);
    assert.equal(text.code, 1);
    assert.equal((text.stdout + text.stderr).match(/mismatch/g)?.length, 4, text.stdout);
    // --fix drops the four lines (saved beside the manifests) and keeps both files.
    const fixed = await runVideoword(["verify", dir, "--fix"]);
    assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
    for (const mode of ["inference", "rendering"]) {
      const removed = await readJsonl(join(dir, `gsm8k_${mode}_video_data_0.removed.jsonl`));
      assert.deepEqual(removed.map((l) => l.index), [0, 1]);
    }
    for (const i of [0, 1]) {
      assert.equal((await Deno.stat(videoPath(base, "gsm8k", i))).isFile, true);
    }
    // render then makes both again (their fingerprints are not the rows'), and verify is clean.
    const again = await runVideoword([
      "render",
      "gsm8k",
      ...["--source", "samples", "--num-samples", "3", "--base-dir", base, "--no-progress"],
    ]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(
      [(await stats(base)).reused, (await stats(base)).rerendered],
      [1, 2],
    );
    assert.equal((await runVideoword(["verify", dir])).code, 0);
  });
});

Deno.test("export refuses a swapped video, a truncated MP4, another row's file and a link out", async () => {
  await withTempDir(async (base) => {
    const dir = await renderRows(base, 6);
    const outside = await Deno.makeTempDir();
    await swapVideos(base, 0, 1);
    // Row 2: cut short (a copy that died half-way).
    const cut = await Deno.readFile(videoPath(base, "gsm8k", 2));
    await Deno.writeFile(videoPath(base, "gsm8k", 2), cut.subarray(0, cut.length >> 1));
    // Row 3's line names row 5's file.
    const manifest = join(dir, "gsm8k_inference_video_data_0.jsonl");
    const lines = (await Deno.readTextFile(manifest)).trimEnd().split("\n").map((l) =>
      JSON.parse(l)
    );
    lines[3].video_path = videoPath(base, "gsm8k", 5);
    await Deno.writeTextFile(manifest, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
    // Row 4: a link leaving the dataset folder.
    await Deno.remove(videoPath(base, "gsm8k", 4));
    await Deno.symlink("/etc/passwd", videoPath(base, "gsm8k", 4));

    const out = join(outside, "wds");
    const result = await runVideoword(["export", "webdataset", dir, "--out", out]);
    const said = result.stdout + result.stderr;
    assert.equal(result.code, 1, said);
    const refused = said.split("\n").filter((l) => l.startsWith("refused: "));
    assert.deepEqual(refused.map((l) => l.replace(/^(refused: row \d+: [^:(]+).*$/, "$1")), [
      "refused: row 0: fingerprint mismatch",
      "refused: row 1: fingerprint mismatch",
      "refused: row 2: incomplete MP4",
      "refused: row 3: not the row's own video",
      "refused: row 4: outside the dataset folder",
    ]);
    assert.match(said, /exported 1 inference rows/);
    assert.match(said, /refused 5 \(fingerprint mismatch 2, incomplete MP4 1/);
    // The tar holds row 5 only, and nothing of /etc/passwd.
    const tar = await new Deno.Command("tar", { args: ["-tf", join(out, "00000.tar")] }).output();
    assert.equal(tar.code, 0);
    const members = new TextDecoder().decode(tar.stdout).trim().split("\n");
    assert.deepEqual([...new Set(members.map((m) => m.split(".")[0]))], ["gsm8k_000005"]);
    assert.equal(members.includes("gsm8k_000005.mp4"), true, members.join(" "));
    const content = await new Deno.Command("tar", { args: ["-xOf", join(out, "00000.tar")] })
      .output();
    assert.equal(new TextDecoder().decode(content.stdout).includes("root:"), false);

    // Path-list formats refuse the same lines: no link to /etc/passwd among the exported videos.
    const list = join(outside, "diffsynth");
    const listed = await runVideoword(["export", "diffsynth", dir, "--out", list]);
    assert.equal(listed.code, 1, listed.stdout + listed.stderr);
    const exported = [...Deno.readDirSync(join(list, "video"))].map((e) => e.name).sort();
    assert.deepEqual(exported, ["gsm8k_000005.mp4"]);
    await Deno.remove(outside, { recursive: true });
  });
});

Deno.test("render: an option the others make unused re-renders nothing on resume", async () => {
  await withTempDir(async (dir) => {
    const run = (extra: string[]) =>
      runVideoword([
        ...["render", "gsm8k", "--source", "samples", "--num-samples", "2", "--no-progress"],
        ...["--long-prompt", "shrink", "--base-dir", dir, ...extra],
      ]);
    const first = await run([]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /2 rendered, 0 kept/);
    // --prompt-page-frames only shapes --long-prompt paginate: said once, and the videos stay.
    const again = await run(["--prompt-page-frames", "5"]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(
      again.stderr,
      /--prompt-page-frames is ignored: it applies to --long-prompt paginate/,
    );
    assert.match(again.stdout, /0 rendered, 2 kept/);
  });
});
