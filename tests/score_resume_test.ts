/**
 * `videoword score` resumes only what was scored the way this run scores: a per-video line of
 * another scoring version or OCR engine is read again (and counted), an unchanged run reads
 * nothing. Real renders, read by the real OCR engine.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { SCORE_VERSION, type VideoScore } from "../src/score/mod.ts";
import { runVideoword, standIn, withTempDir } from "./helpers/video.ts";

/** The one score file of `dir` (one rendering manifest scored). */
async function scoreFile(dir: string): Promise<string> {
  const names = [];
  for await (const entry of Deno.readDir(join(dir, "score"))) names.push(entry.name);
  assert.equal(names.length, 1, names.join(", "));
  return join(dir, "score", names[0]);
}

async function scoreLines(dir: string): Promise<VideoScore[]> {
  const text = await Deno.readTextFile(await scoreFile(dir));
  return text.trim().split("\n").map((l) => JSON.parse(l));
}

async function writeLines(dir: string, lines: unknown[]): Promise<void> {
  await Deno.writeTextFile(
    await scoreFile(dir),
    lines.map((l) => JSON.stringify(l) + "\n").join(""),
  );
}

/** A tesseract that tells its version (the real one's) but fails every read. */
async function failingTesseract(dir: string): Promise<string> {
  const path = await standIn(
    dir,
    "tesseract-fails",
    'echo "stand-in: no OCR expected" >&2; exit 3',
  );
  await Deno.writeTextFile(
    path,
    (await Deno.readTextFile(path)).replace(
      /^case .*$/m,
      'case " $* " in *" --version "*) exec tesseract --version;; esac',
    ),
  );
  return path;
}

/**
 * A line of an older scoring version but this read version and engine, with a wrong CER and
 * wrong edits: scored again from its stored reads (no tesseract read) to what it was.
 */
async function assertRecomputed(dir: string, tesseract: string): Promise<void> {
  const lines = await scoreLines(dir);
  await writeLines(dir, [
    {
      ...lines[0],
      score_version: SCORE_VERSION - 1,
      cer: 0.9,
      pages: lines[0].pages.map((p) => ({ ...p, edits: p.edits + 7, chars: 1 })),
    },
    ...lines.slice(1),
  ]);
  const run = await runVideoword(["score", dir, "--no-progress", "--tesseract", tesseract]);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(
    run.stdout,
    /\n {2}re-scored: scoring changed: 1 \(1 from their stored reads, without OCR\)\n/,
  );
  assert.deepEqual(await scoreLines(dir), lines);
}

Deno.test("score: resume re-scores lines of another scoring version or OCR engine, keeps the rest without OCR", async () => {
  await withTempDir(async (base) => {
    const render = await runVideoword([
      ...["render", "gsm8k", "--source", "samples", "--num-samples", "2"],
      ...["--base-dir", base, "--no-progress"],
    ]);
    assert.equal(render.code, 0, render.stderr);
    const dir = join(base, "gsm8k");
    const first = await runVideoword(["score", dir, "--no-progress"]);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.match(first.stdout, /2 scored \(0 kept from an earlier read\)/);
    assert.doesNotMatch(first.stdout, /re-scored/);
    const scored = await scoreLines(dir);
    assert.equal(scored.length, 2);
    for (const line of scored) {
      assert.equal(line.score_version, SCORE_VERSION);
      assert.match(line.ocr_engine ?? "", /^tesseract \S+ -l eng --psm 6$/);
      assert.ok(line.cer !== null && line.cer < 0.05, `${line.key}: CER ${line.cer}`);
    }

    // One line from an older scoring version (and a CER it would not give now), one from
    // another OCR engine: both read again, and said so.
    const tampered = [
      { ...scored[0], score_version: SCORE_VERSION - 1, cer: 0.9, pages: [] },
      { ...scored[1], ocr_engine: "tesseract 3.05 -l eng --psm 6", cer: 0.8 },
    ];
    // Lines written before the fields existed count as version 1, and are read again.
    delete (tampered[0] as Partial<VideoScore>).score_version;
    delete (tampered[0] as Partial<VideoScore>).read_version;
    tampered[0].pages = scored[0].pages;
    await writeLines(dir, tampered);
    const second = await runVideoword(["score", dir, "--no-progress"]);
    assert.equal(second.code, 0, second.stdout + second.stderr);
    assert.match(second.stdout, /2 scored \(0 kept from an earlier read\)/);
    assert.match(second.stdout, /\n {2}re-scored: scoring changed: 2\n/); // both by OCR
    const rescored = await scoreLines(dir);
    assert.deepEqual(
      rescored.map((l) => [l.key, l.score_version, l.ocr_engine, l.cer, l.pages.length]),
      scored.map((l) => [l.key, SCORE_VERSION, l.ocr_engine, l.cer, l.pages.length]),
    );

    // Unchanged: everything kept, tesseract never asked to read (a stand-in that fails to).
    const failing = await failingTesseract(base);
    const third = await runVideoword(["score", dir, "--no-progress", "--tesseract", failing]);
    assert.equal(third.code, 0, third.stdout + third.stderr);
    assert.match(third.stdout, /2 scored \(2 kept from an earlier read\)/);
    assert.doesNotMatch(third.stdout, /re-scored/);
    assert.deepEqual(await scoreLines(dir), rescored);
    // A kept line is flagged by this run's --flag-cer, not the earlier run's.
    const strict = await runVideoword([
      ...["score", dir, "--no-progress", "--tesseract", failing, "--json"],
      ...["--flag-cer", "0"],
    ]);
    const flagged = rescored.filter((l) => l.cer! > 0).map((l) => l.key);
    assert.equal(strict.code, flagged.length > 0 ? 1 : 0, strict.stderr);
    assert.deepEqual(JSON.parse(strict.stdout).flagged, flagged);
    assert.equal(JSON.parse(strict.stdout).runs[0].reused, 2);

    // The stand-in does fail a read: a line to re-score becomes a problem, not a kept score.
    // Another scoring version only: its stored reads score it again, without OCR.
    await assertRecomputed(dir, failing);

    // The stand-in does fail a read: a line of another read version becomes a problem.
    await writeLines(dir, [{ ...rescored[0], read_version: 0, score_version: 0 }, rescored[1]]);
    const fourth = await runVideoword(["score", dir, "--no-progress", "--tesseract", failing]);
    assert.equal(fourth.code, 1, fourth.stdout + fourth.stderr);
    assert.match(fourth.stdout, /1 scored \(1 kept from an earlier read\)/);
    assert.match(fourth.stdout, /re-scored: scoring changed: 1/);
    assert.match(fourth.stdout, /unreadable video: .*tesseract/);
  });
});

Deno.test("score: a narrated line of another scoring version is scored again from its stored cue reads", async () => {
  await withTempDir(async (base) => {
    const render = await runVideoword([
      ...["audio-render", "gsm8k", "--source", "samples", "--num-samples", "1", "--tts", "espeak"],
      ...["--base-dir", base, "--no-progress"],
    ]);
    assert.equal(render.code, 0, render.stderr);
    const dir = join(base, "gsm8k_audio");
    const first = await runVideoword(["score", dir, "--no-progress"]);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    const [line] = await scoreLines(dir);
    assert.deepEqual([...new Set(line.pages.map((p) => p.part))], ["prompt", "subtitle"]);
    await assertRecomputed(dir, await failingTesseract(base));
  });
});
