/**
 * End-to-end tests of `videoword render`: run the CLI on the embedded samples, then decode the
 * MP4s it wrote and check streams, pixels, pages, manifests, determinism and bad input.
 */
import assert from "node:assert/strict";
import { basename, join } from "node:path";
import {
  decodeGrayFrames,
  HEIGHT,
  inkCount,
  listNames,
  MARGIN,
  marginRects,
  probeVideo,
  readJsonl,
  ROOT,
  runVideoword,
  sameFrame,
  separatorRows,
  textArea,
  walkFiles,
  WIDTH,
  withTempDir,
} from "./helpers/video.ts";

const FRAMES = 193;
const BAD_ROWS = join(ROOT, "tests/fixtures/bad_rows/gsm8k_bad.jsonl");
const TEMPLATES_FILE = join(ROOT, "tests/fixtures/rows/prompt_templates.txt");
const DATASETS = [
  "gsm8k",
  "openmath2_gsm8k",
  "belle_school_math",
  "tinystories",
  "tinystories_chinese",
];
/** H.264 keeps refining a still picture (seen: |Δ| ≤ 64); a glyph appearing changes ~255. */
const STILL_TOLERANCE = 100;
/** Ink-count jitter (threshold 128) of a still picture under H.264; one unit adds ≥ 14 pixels. */
const COUNT_JITTER = 8;

type Row = Record<string, unknown>;

/** Render from the embedded samples into `base` (also the working directory). */
async function render(base: string, dataset: string, extra: string[]) {
  return await runVideoword(
    ["render", dataset, "--base-dir", base, "--source", "samples", "--no-progress", ...extra],
    { cwd: base },
  );
}

function assertRun(result: { code: number; stderr: string }): void {
  assert.equal(result.code, 0, `render failed: ${result.stderr}`);
}

function manifest(base: string, dataset: string, mode: string, start = 0): string {
  return join(base, dataset, `${dataset}_${mode}_video_data_${start}.jsonl`);
}

function words(text: unknown): number {
  return String(text).split(/\s+/).filter((w) => w.length > 0).length;
}

function maxDiff(a: Uint8Array, b: Uint8Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d > max) max = d;
  }
  return max;
}

/** The same picture up to H.264 refinement: no pixel moved by a glyph's worth, same ink. */
function stillSame(a: Uint8Array, b: Uint8Array): boolean {
  const area = textArea();
  return maxDiff(a, b) <= STILL_TOLERANCE &&
    Math.abs(inkCount(a, area) - inkCount(b, area)) <= COUNT_JITTER;
}

/** Frames where the text-area ink count falls by more than jitter: page turns. */
function inkDrops(counts: number[]): number[] {
  const drops: number[] = [];
  for (let k = 1; k < counts.length; k++) {
    if (counts[k] < counts[k - 1] - 50) drops.push(k);
  }
  return drops;
}

/** Silent-video templates by dataset, parsed from the fixture's markdown table. */
async function silentTemplates(): Promise<Map<string, { inference: string; rendering: string }>> {
  const text = await Deno.readTextFile(TEMPLATES_FILE);
  const section = text.split("## Silent videos")[1].split("\n## ")[0];
  const templates = new Map<string, { inference: string; rendering: string }>();
  for (const line of section.split("\n")) {
    const match = /^\| ([^|`]+) \| `([^`]*)` \| `([^`]*)` \|$/.exec(line.trim());
    if (!match) continue;
    for (const key of match[1].split(",")) {
      templates.set(key.trim(), { inference: match[2], rendering: match[3] });
    }
  }
  return templates;
}

function fill(template: string, row: Row): string {
  return template
    .replaceAll("{prompt}", String(row.prompt_text))
    .replaceAll("{response}", String(row.response_text))
    .replaceAll("{seconds}", "10");
}

/** Manifest checks shared by every dataset: one line per MP4, row order, exact prompts. */
async function checkManifests(base: string, dataset: string): Promise<Row[]> {
  const templates = (await silentTemplates()).get(dataset);
  assert.ok(templates, `no template for ${dataset} in the fixture`);
  const inference = await readJsonl(manifest(base, dataset, "inference"));
  const rendering = await readJsonl(manifest(base, dataset, "rendering"));
  assert.equal(inference.length, rendering.length);
  const mp4s = await listNames(join(base, dataset, "video"), /\.mp4$/);
  assert.deepEqual(inference.map((row) => basename(String(row.video_path))), mp4s);
  for (let i = 0; i < inference.length; i++) {
    const inf = inference[i];
    const ren = rendering[i];
    const path = String(inf.video_path);
    assert.ok(path.startsWith("/"), `not absolute: ${path}`);
    assert.ok((await Deno.stat(path)).isFile);
    assert.equal(
      path,
      join(base, dataset, "video", `${dataset}_${String(inf.index).padStart(6, "0")}.mp4`),
    );
    if (i > 0) assert.ok(Number(inf.index) > Number(inference[i - 1].index), "index ascending");
    const { prompt: _a, ...infRest } = inf;
    const { prompt: _b, ...renRest } = ren;
    assert.deepEqual(infRest, renRest, "both manifests describe the same video");
    assert.equal(inf.dataset, dataset);
    assert.equal(inf.frames, FRAMES);
    assert.equal(inf.fps, 19.3);
    assert.equal(inf.width, WIDTH);
    assert.equal(inf.height, HEIGHT);
    assert.equal(inf.duration, 10);
    assert.equal(inf.font_size, 28);
    assert.ok(Number(inf.pages) >= 1);
    const promptText = String(inf.prompt_text);
    const responseText = String(inf.response_text);
    assert.ok(promptText.length > 0 && responseText.length > 0);
    assert.ok(String(inf.prompt).includes(promptText));
    assert.ok(!String(inf.prompt).includes(responseText), "inference prompt leaks the answer");
    assert.ok(String(ren.prompt).includes(promptText) && String(ren.prompt).includes(responseText));
    assert.equal(inf.prompt, fill(templates.inference, inf));
    assert.equal(ren.prompt, fill(templates.rendering, ren));
  }
  return inference;
}

function checkMargins(frames: Uint8Array[], label: string): void {
  frames.forEach((frame, k) => {
    for (const rect of marginRects()) {
      // "ink" here is anything visibly darker than the background: pixel < 200.
      assert.equal(inkCount(frame, rect, { threshold: 199 }), 0, `${label} frame ${k}: margin ink`);
    }
  });
}

Deno.test("render gsm8k samples: streams, pixels, pages, manifests, determinism", async (t) => {
  await withTempDir(async (base) => {
    assertRun(await render(base, "gsm8k", ["--num-samples", "4", "--num-workers", "2"]));
    const rows = await readJsonl(manifest(base, "gsm8k", "inference"));
    assert.deepEqual(rows.map((r) => r.index), [0, 1, 2, 3]);
    const decoded = new Map<number, Uint8Array[]>();
    for (const row of rows) {
      decoded.set(Number(row.index), await decodeGrayFrames(String(row.video_path)));
    }

    await t.step("ffprobe: h264 640x360 yuv420p, 193 frames at 19.3 fps, 10 s, small", async () => {
      const names = await listNames(join(base, "gsm8k/video"), /\.mp4$/);
      assert.equal(names.length, 4);
      for (const name of names) {
        const path = join(base, "gsm8k/video", name);
        const probe = await probeVideo(path);
        assert.equal(probe.codec, "h264");
        assert.equal(probe.width, WIDTH);
        assert.equal(probe.height, HEIGHT);
        assert.equal(probe.pix_fmt, "yuv420p");
        assert.equal(probe.r_frame_rate, "193/10");
        assert.equal(probe.nb_frames, FRAMES);
        assert.ok(Math.abs(probe.duration - 10) <= 0.06, `duration ${probe.duration}`);
        const { size } = await Deno.stat(path);
        assert.ok(size < 200 * 1024, `${name} is ${size} bytes`);
        assert.equal(decoded.get(Number(name.slice(6, 12)))!.length, FRAMES);
      }
    });

    await t.step("pixels: prompt over a separator, one word per frame, then a still", () => {
      for (const row of rows.filter((r) => r.pages === 1)) {
        const frames = decoded.get(Number(row.index))!;
        const label = `row ${row.index}`;
        const sep = separatorRows(frames[0]);
        assert.ok(sep.length >= 1 && sep.length <= 3, `${label}: separator rows ${sep}`);
        const sepTop = sep[0];
        const sepBottom = sep[sep.length - 1];
        assert.ok(sepTop > MARGIN + 32, `${label}: separator under at least one prompt line`);
        const prompt = { x: MARGIN, y: MARGIN, w: WIDTH - 2 * MARGIN, h: sepTop - 1 - MARGIN };
        const answer = {
          x: MARGIN,
          y: sepBottom + 2,
          w: WIDTH - 2 * MARGIN,
          h: HEIGHT - MARGIN - (sepBottom + 2),
        };
        assert.ok(inkCount(frames[0], prompt) > 1000, `${label}: frame 0 shows the prompt`);
        assert.equal(
          inkCount(frames[0], answer, { threshold: 200 }),
          0,
          `${label}: frame 0 answer`,
        );
        const units = words(row.response_text);
        assert.ok(units > 5 && units < FRAMES - 1);
        const counts = frames.map((f) => inkCount(f, answer));
        for (let k = 0; k < units; k++) {
          assert.ok(counts[k + 1] > counts[k], `${label}: frame ${k + 1} adds no ink`);
          // The prompt stays put while the answer grows.
          assert.ok(
            stillSame(
              frames[k + 1].subarray(0, sepTop * WIDTH),
              frames[0].subarray(0, sepTop * WIDTH),
            ),
          );
        }
        for (let k = units + 1; k < FRAMES; k++) {
          assert.ok(
            stillSame(frames[k], frames[units]),
            `${label}: frame ${k} changed after the end`,
          );
        }
      }
    });

    await t.step("no ink inside the 15 px margins in any frame", () => {
      for (const [index, frames] of decoded) checkMargins(frames, `row ${index}`);
    });

    await t.step("page turn: the ink count drops once per new page", () => {
      const turning = rows.filter((r) =>
        Number(r.pages) > 1 && separatorRows(decoded.get(Number(r.index))![0]).length > 0
      );
      assert.ok(turning.length >= 1, "a sample whose answer turns a page");
      for (const row of turning) {
        const frames = decoded.get(Number(row.index))!;
        const counts = frames.map((f) => inkCount(f, textArea()));
        const drops = inkDrops(counts);
        assert.equal(drops.length, Number(row.pages) - 1, `row ${row.index}: drops at ${drops}`);
        const units = words(row.response_text);
        for (const d of drops) {
          assert.ok(d > 1 && d <= units, `row ${row.index}: page turn at frame ${d}`);
          // Answer-only pages carry no prompt and no separator.
          assert.deepEqual(separatorRows(frames[d]), []);
        }
        for (let k = 0; k < units; k++) {
          if (!drops.includes(k + 1)) {
            assert.ok(counts[k + 1] > counts[k], `row ${row.index} frame ${k + 1}`);
          }
        }
      }
    });

    await t.step("long prompt: a prompt-only page held for frames 0..9", () => {
      const longest = rows.reduce((a, b) =>
        String(b.prompt_text).length > String(a.prompt_text).length ? b : a
      );
      const frames = decoded.get(Number(longest.index))!;
      assert.ok(Number(longest.pages) >= 2);
      assert.deepEqual(separatorRows(frames[0]), [], "page 1 is all prompt");
      assert.ok(inkCount(frames[0], textArea()) > 5000);
      for (let k = 1; k < 10; k++) assert.ok(stillSame(frames[k], frames[0]), `frame ${k}`);
      assert.ok(!stillSame(frames[10], frames[9]), "frame 10 shows the next page");
      assert.ok(separatorRows(frames[10]).length > 0, "the separator page follows");
    });

    await t.step("lossless (--crf 0): still frames are exactly equal", async () => {
      const lossless = join(base, "lossless");
      await Deno.mkdir(lossless);
      assertRun(await render(lossless, "gsm8k", ["--num-samples", "3", "--crf", "0"]));
      const exact = await readJsonl(manifest(lossless, "gsm8k", "inference"));
      for (const row of exact) {
        const frames = await decodeGrayFrames(String(row.video_path));
        const start = separatorRows(frames[0]).length > 0 ? 0 : 10;
        if (start === 10) {
          for (let k = 1; k < 10; k++) assert.ok(sameFrame(frames[k], frames[0]), `frame ${k}`);
        }
        // Paged answers hold a page boundary frame too, so count changes, not units.
        let changes = 0;
        let last = start;
        for (let k = start + 1; k < FRAMES; k++) {
          if (!sameFrame(frames[k], frames[k - 1])) {
            changes++;
            last = k;
          }
        }
        const units = words(row.response_text);
        assert.equal(changes, units, `row ${row.index}: one change per word`);
        assert.equal(last, start + units, `row ${row.index}: still after the last word`);
      }
    });

    await t.step("manifests: one line per MP4, row order, exact prompt templates", async () => {
      const lines = await checkManifests(base, "gsm8k");
      assert.equal(lines.length, 4);
    });

    await t.step("determinism: a second run writes the same bytes", async () => {
      const again = join(base, "again");
      await Deno.mkdir(again);
      assertRun(await render(again, "gsm8k", ["--num-samples", "4", "--num-workers", "1"]));
      const names = await listNames(join(base, "gsm8k/video"));
      assert.deepEqual(await listNames(join(again, "gsm8k/video")), names);
      for (const name of names) {
        const a = await Deno.readFile(join(base, "gsm8k/video", name));
        const b = await Deno.readFile(join(again, "gsm8k/video", name));
        assert.ok(sameFrame(a, b), `${name} differs between runs`);
      }
      for (const mode of ["inference", "rendering"]) {
        const a = await Deno.readTextFile(manifest(base, "gsm8k", mode));
        const b = await Deno.readTextFile(manifest(again, "gsm8k", mode));
        assert.equal(b.replaceAll(again, base), a);
      }
    });
  });
});

Deno.test("render all: every dataset renders from its embedded samples", async () => {
  await withTempDir(async (base) => {
    assertRun(await render(base, "all", ["--num-samples", "2", "--mode", "both"]));
    for (const dataset of DATASETS) {
      const stats = JSON.parse(
        await Deno.readTextFile(join(base, dataset, `${dataset}_stats_0.json`)),
      );
      assert.equal(stats.rows, 2, dataset);
      assert.equal(stats.rendered + stats.reused + stats.skipped + stats.failed, stats.rows);
      assert.equal(stats.failed, 0, `${dataset}: ${JSON.stringify(stats.failures)}`);
      const skips = Object.values(stats.skipped_by_reason as Record<string, number>);
      assert.equal(skips.reduce((a, b) => a + b, 0), stats.skipped);
      assert.ok(stats.rendered >= 1, `${dataset}: nothing rendered`);
      const lines = await checkManifests(base, dataset);
      assert.equal(lines.length, stats.rendered);
      for (const row of lines) {
        const frames = await decodeGrayFrames(String(row.video_path));
        assert.equal(frames.length, FRAMES, `${dataset} row ${row.index}`);
        checkMargins(frames, `${dataset} row ${row.index}`);
        const first = inkCount(frames[0], textArea());
        const last = inkCount(frames[FRAMES - 1], textArea());
        assert.ok(first > 300, `${dataset} row ${row.index}: frame 0 has no prompt ink`);
        assert.ok(last > 300, `${dataset} row ${row.index}: last frame has no ink`);
        // Something was revealed after frame 0.
        assert.ok(frames.some((f) => !stillSame(f, frames[0])), `${dataset} row ${row.index}`);
      }
    }
  });
});

Deno.test("render --codec mpeg4: an MPEG-4 Part 2 stream of 193 frames", async () => {
  await withTempDir(async (base) => {
    assertRun(await render(base, "gsm8k", ["--num-samples", "1", "--codec", "mpeg4"]));
    const path = join(base, "gsm8k/video/gsm8k_000000.mp4");
    const probe = await probeVideo(path);
    assert.equal(probe.codec, "mpeg4");
    assert.equal(probe.width, WIDTH);
    assert.equal(probe.height, HEIGHT);
    assert.equal(probe.nb_frames, FRAMES);
    const frames = await decodeGrayFrames(path);
    assert.equal(frames.length, FRAMES);
    assert.ok(separatorRows(frames[0]).length > 0);
    assert.ok(inkCount(frames[FRAMES - 1], textArea()) > inkCount(frames[0], textArea()));
  });
});

Deno.test("render --input with bad rows: skips and counts them, renders the rest", async () => {
  await withTempDir(async (base) => {
    const result = await runVideoword(
      ["render", "gsm8k", "--input", BAD_ROWS, "--base-dir", base, "--no-progress"],
      { cwd: base },
    );
    assertRun(result);
    const stats = JSON.parse(await Deno.readTextFile(join(base, "gsm8k/gsm8k_stats_0.json")));
    assert.equal(stats.rows, 9);
    assert.equal(stats.rendered, 3);
    assert.equal(stats.skipped, 6);
    assert.equal(stats.failed, 0);
    assert.deepEqual(stats.skipped_by_reason, {
      "unreadable row": 1,
      "missing field 'answer'": 1,
      "wrong type 'question'": 1,
      "unsupported character": 1,
      "answer too long": 1,
      "empty prompt": 1,
    });
    // One clear line per skipped row, naming the row.
    for (const index of [1, 2, 3, 5, 6, 7]) {
      assert.match(result.stderr, new RegExp(`row ${index}: skipped: `), result.stderr);
    }
    const rows = await readJsonl(manifest(base, "gsm8k", "inference"));
    assert.deepEqual(rows.map((r) => r.index), [0, 4, 8]);
    // Control characters are removed, the row is kept.
    assert.equal(
      rows[1].prompt_text,
      "Ann reads 4 pages a day for 3 days. How many pages does she read?",
    );
    assert.equal(rows[1].response_text, "Ann reads 4 x 3 = 12 pages. So the answer is: 12.");
    const files = await walkFiles(base);
    assert.deepEqual(files.filter((f) => f.endsWith(".tmp") || basename(f).startsWith(".")), []);
    assert.deepEqual(files.filter((f) => f.endsWith(".mp4")), [
      "gsm8k/video/gsm8k_000000.mp4",
      "gsm8k/video/gsm8k_000004.mp4",
      "gsm8k/video/gsm8k_000008.mp4",
    ]);
    for (const row of rows) {
      assert.equal((await probeVideo(String(row.video_path))).nb_frames, FRAMES);
    }
  });
});

Deno.test("render with a missing ffmpeg: one-line error, non-zero exit, no videos", async () => {
  await withTempDir(async (base) => {
    const result = await render(base, "gsm8k", [
      "--num-samples",
      "2",
      "--ffmpeg",
      "/nonexistent/ffmpeg",
    ]);
    assert.notEqual(result.code, 0);
    const lines = result.stderr.trim().split("\n");
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0], /ffmpeg/);
    assert.ok((await walkFiles(base)).every((f) => !f.endsWith(".mp4") && !f.endsWith(".tmp")));
  });
});

Deno.test("render a dataset that was never downloaded: exit 1 naming videoword download", async () => {
  await withTempDir(async (base) => {
    const dataDir = join(base, "data");
    await Deno.mkdir(dataDir);
    const result = await runVideoword(
      ["render", "gsm8k", "--data-dir", dataDir, "--base-dir", join(base, "out"), "--no-progress"],
      { cwd: base },
    );
    assert.equal(result.code, 1);
    const lines = result.stderr.trim().split("\n");
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0], /videoword download gsm8k/);
    assert.deepEqual((await walkFiles(base)).filter((f) => f.endsWith(".mp4")), []);
  });
});
