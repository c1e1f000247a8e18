/**
 * `videoword score` resumes only what was scored the way this run scores: a per-video line of
 * another scoring version or OCR engine is read again (and counted), an unchanged run reads
 * nothing. Real renders, read by the real OCR engine.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { SCORE_VERSION, type VideoScore } from "../src/score/mod.ts";
import { runVideoword, standIn, withTempDir } from "./helpers/video.ts";

/** The one score file of `dir`'s rendering manifest. */
const SCORE_FILE = "gsm8k_rendering_video_data_0_score.jsonl";

async function scoreLines(dir: string): Promise<VideoScore[]> {
  const file = join(dir, "score", SCORE_FILE);
  const names = [];
  for await (const entry of Deno.readDir(join(dir, "score"))) names.push(entry.name);
  assert.deepEqual(names, [SCORE_FILE]);
  return (await Deno.readTextFile(file)).trim().split("\n").map((l) => JSON.parse(l));
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
    const file = join(dir, "score", SCORE_FILE);
    const tampered = [
      { ...scored[0], score_version: SCORE_VERSION - 1, cer: 0.9, pages: [] },
      { ...scored[1], ocr_engine: "tesseract 3.05 -l eng --psm 6", cer: 0.8 },
    ];
    // Lines written before the fields existed count as version 1.
    delete (tampered[0] as Partial<VideoScore>).score_version;
    await Deno.writeTextFile(file, tampered.map((l) => JSON.stringify(l) + "\n").join(""));
    const second = await runVideoword(["score", dir, "--no-progress"]);
    assert.equal(second.code, 0, second.stdout + second.stderr);
    assert.match(second.stdout, /2 scored \(0 kept from an earlier read\)/);
    assert.match(second.stdout, /\n {2}re-scored: scoring changed: 2\n/);
    const rescored = await scoreLines(dir);
    assert.deepEqual(
      rescored.map((l) => [l.key, l.score_version, l.ocr_engine, l.cer, l.pages.length]),
      scored.map((l) => [l.key, SCORE_VERSION, l.ocr_engine, l.cer, l.pages.length]),
    );

    // Unchanged: everything kept, tesseract never asked to read (a stand-in that fails to).
    const failing = await standIn(
      base,
      "tesseract-fails",
      'echo "stand-in: no OCR expected" >&2; exit 3',
    );
    await Deno.writeTextFile(
      failing,
      (await Deno.readTextFile(failing)).replace(
        /^case .*$/m,
        'case " $* " in *" --version "*) exec tesseract --version;; esac',
      ),
    );
    const third = await runVideoword(["score", dir, "--no-progress", "--tesseract", failing]);
    assert.equal(third.code, 0, third.stdout + third.stderr);
    assert.match(third.stdout, /2 scored \(2 kept from an earlier read\)/);
    assert.doesNotMatch(third.stdout, /re-scored/);
    assert.deepEqual(await scoreLines(dir), rescored);

    // The stand-in does fail a read: a line to re-score becomes a problem, not a kept score.
    await Deno.writeTextFile(
      file,
      [{ ...rescored[0], score_version: SCORE_VERSION + 1 }, rescored[1]]
        .map((l) => JSON.stringify(l) + "\n").join(""),
    );
    const fourth = await runVideoword(["score", dir, "--no-progress", "--tesseract", failing]);
    assert.equal(fourth.code, 1, fourth.stdout + fourth.stderr);
    assert.match(fourth.stdout, /1 scored \(1 kept from an earlier read\)/);
    assert.match(fourth.stdout, /re-scored: scoring changed: 1/);
    assert.match(fourth.stdout, /unreadable video: .*tesseract/);
  });
});
