import assert from "node:assert/strict";
import { join } from "node:path";
import { createCanvas, loadImage } from "@napi-rs/canvas";
import { sheetCellOrigin } from "../src/preview/mod.ts";
import { scaledSubtitleBand } from "../src/layout/mod.ts";
import { parseColour } from "../src/style/mod.ts";
import { ROOT, runVideoword, walkFiles } from "./helpers/video.ts";

const SAMPLES = ["--source", "samples"];

async function inTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir();
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("preview --json prints the layout plan and writes nothing", async () => {
  await inTempDir(async (dir) => {
    const run = await runVideoword(["preview", "gsm8k", ...SAMPLES, "--index", "2", "--json"], {
      cwd: dir,
    });
    assert.equal(run.code, 0, run.stderr);
    const plan = JSON.parse(run.stdout);
    assert.equal(plan.kind, "silent");
    assert.equal(plan.dataset, "gsm8k");
    assert.equal(plan.index, 2);
    assert.equal(plan.frames, 193);
    for (const page of plan.pages) {
      assert.deepEqual(
        Object.keys(page).sort(),
        ["answer_lines", "first_frame", "last_frame", "prompt_lines", "separator_y"],
      );
      for (const line of [...page.prompt_lines, ...page.answer_lines]) {
        assert.deepEqual(Object.keys(line).sort(), ["text", "units", "x", "y"]);
        for (const unit of line.units) {
          assert.deepEqual(Object.keys(unit).sort(), ["first_frame", "text", "x"]);
        }
      }
    }
    assert.ok(
      plan.pages.some((p: { answer_lines: { text: string }[] }) =>
        p.answer_lines.some((l) => l.text === "100 / 2 = $50.")
      ),
    );
    assert.deepEqual(await walkFiles(dir), []);
  });
});

Deno.test("preview resolves render's options the same way: flags and videoword.jsonc", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(
      join(dir, "videoword.jsonc"),
      JSON.stringify({ render: { font_size: 24 } }),
    );
    const run = await runVideoword(
      ["preview", "tinystories", ...SAMPLES, "--index", "1", "--width", "480", "--json"],
      { cwd: dir },
    );
    assert.equal(run.code, 0, run.stderr);
    const plan = JSON.parse(run.stdout);
    assert.equal(plan.width, 480);
    assert.equal(plan.font_size, 24);
    for (const page of plan.pages) {
      for (const line of page.answer_lines) {
        const last = line.units.at(-1);
        assert.ok(last.x < 480 - 15, `unit past the margin: ${last.text}`);
      }
    }
  });
});

Deno.test("preview writes a contact sheet and a GIF into --out only, and prints the manifest lines", async () => {
  await inTempDir(async (dir) => {
    const input = join(ROOT, "tests", "fixtures", "rows", "belle_head60.jsonl");
    const run = await runVideoword(
      ["preview", "belle_school_math", "--input", input, "--index", "4", "--out", "look"],
      { cwd: dir },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual((await walkFiles(dir)).sort(), [
      "look/animation.gif",
      "look/contact_sheet.png",
    ]);
    const lines = run.stdout.split("\n").filter((l) => l.startsWith("{"));
    assert.equal(lines.length, 2);
    for (const line of lines) {
      const parsed = JSON.parse(line);
      assert.equal(parsed.dataset, "belle_school_math");
      assert.equal(parsed.index, 4);
      assert.match(parsed.video_path, /belle_school_math\/video\/belle_school_math_000004\.mp4$/);
    }
  });
});

Deno.test("preview refuses an option of the other kind of video", async () => {
  const run = await runVideoword(["preview", "gsm8k", ...SAMPLES, "--tts", "espeak", "--json"]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /--tts is an option of narrated videos: add --narrated/);
});

Deno.test("preview --narrated --json: prompt pages and timed subtitle screens", async () => {
  await inTempDir(async (dir) => {
    const run = await runVideoword(
      [
        "preview",
        "gsm8k",
        ...SAMPLES,
        ...["--index", "0", "--narrated", "--tts", "espeak", "--tts-cache", "cache", "--json"],
      ],
      { cwd: dir },
    );
    assert.equal(run.code, 0, run.stderr);
    const plan = JSON.parse(run.stdout);
    assert.equal(plan.kind, "narrated");
    assert.equal(plan.fps, 24);
    assert.ok(plan.subtitles.length >= 2);
    assert.ok(plan.pages[0].prompt_lines.length >= 1);
  });
});

Deno.test("preview of a row the dataset rejects says why, as JSON with --json", async () => {
  const input = join(ROOT, "tests", "fixtures", "rows", "openmathinstruct2_row.jsonl");
  const json = await runVideoword(["preview", "openmath2_gsm8k", "--input", input, "--json"]);
  assert.equal(json.code, 0, json.stderr);
  assert.deepEqual(Object.keys(JSON.parse(json.stdout)), ["skip"]);
  assert.match(JSON.parse(json.stdout).skip, /^missing field 'messages'/);
  const text = await runVideoword(["preview", "openmath2_gsm8k", "--input", input]);
  assert.match(text.stdout, /^row 0 would be skipped: missing field 'messages'/);
});

/** RGB of a PNG's pixel. */
async function pngPixel(path: string, x: number, y: number): Promise<number[]> {
  const image = await loadImage(await Deno.readFile(path));
  const ctx = createCanvas(image.width, image.height).getContext("2d");
  ctx.drawImage(image, 0, 0);
  return [...ctx.getImageData(x, y, 1, 1).data].slice(0, 3);
}

Deno.test("preview --style varied paints the sample's style and prints its record (silent and narrated)", async () => {
  await inTempDir(async (dir) => {
    for (const narrated of [[], ["--narrated", "--tts", "espeak", "--tts-cache", "cache"]]) {
      const args = [
        ...["preview", "gsm8k", ...SAMPLES, "--index", "2", ...narrated],
        ...["--style", "varied", "--style-seed", "5"],
      ];
      const json = await runVideoword([...args, "--json"], { cwd: dir });
      assert.equal(json.code, 0, json.stderr);
      const style = JSON.parse(json.stdout).style;
      for (
        const key of [
          "font_family",
          "font_file",
          "font_size",
          "foreground",
          "background",
          "background_kind",
        ]
      ) {
        assert.ok(style[key] !== undefined && style[key] !== null, `${key} in ${style}`);
      }
      assert.equal(style.style, "varied");
      assert.equal(style.seed, 5);
      // This row's look at style seed 5 is flat: the sheet's corner is its colour exactly.
      assert.equal(style.background_kind, "flat");
      assert.notEqual(style.background, "#FFFFFF");

      const out = narrated.length ? "narrated" : "silent";
      const run = await runVideoword([...args, "--out", out], { cwd: dir });
      assert.equal(run.code, 0, run.stderr);
      const said = run.stdout.split("\n").find((l) => l.startsWith("style: "));
      assert.ok(said, run.stdout);
      for (const part of [style.font_family, style.font_file, `${style.font_size} px`]) {
        assert.ok(said.includes(part), `${said} lacks ${part}`);
      }
      for (const part of [style.foreground, style.background, "style seed 5"]) {
        assert.ok(said.includes(part), `${said} lacks ${part}`);
      }
      const lines = run.stdout.split("\n").filter((l) => l.startsWith("{"));
      for (const line of lines) assert.deepEqual(JSON.parse(line).style, style);

      const sheet = join(dir, out, "contact_sheet.png");
      const size = { width: 640, height: 360, pixelFormat: "rgb24" as const };
      const cell = sheetCellOrigin(0, size);
      assert.deepEqual(
        await pngPixel(sheet, cell.x + 2, cell.y + 2),
        parseColour(style.background),
      );
      if (narrated.length) {
        // The subtitle band keeps its grey (black at 60 % over white).
        const band = scaledSubtitleBand(640, 360);
        assert.deepEqual(await pngPixel(sheet, cell.x + 2, cell.y + band.top + 4), [102, 102, 102]);
      }
    }
  });
});
