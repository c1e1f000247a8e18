/**
 * `videoword score` re-plans each of our own videos once, from what its manifest line records:
 * the sentences shown (GSM8K answers keep their line breaks) and the `layout` the plan was made
 * with (an explicit margin, `shrink`, a preset). A line whose record does not give its video is a
 * problem, never a guess. Real renders, read by the real OCR engine.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { expectedPages, scoreDataset, scoreDefaults } from "../src/score/mod.ts";
import type { ManifestLine } from "../src/pipeline/mod.ts";
import { readJsonl, runVideoword, withTempDir } from "./helpers/video.ts";

const TRAIN = join(import.meta.dirname!, "fixtures", "rows", "gsm8k_train.jsonl");

async function renderRow(base: string, row: number, flags: string[] = []): Promise<void> {
  const run = await runVideoword([
    "render",
    "gsm8k",
    "--input",
    TRAIN,
    "--start-idx",
    String(row),
    "--num-samples",
    "1",
    "--base-dir",
    base,
    "--no-progress",
    ...flags,
  ]);
  assert.equal(run.code, 0, run.stderr);
}

Deno.test("score: GSM8K answers with line breaks and an explicit margin re-plan and read back", async () => {
  await withTempDir(async (base) => {
    // GSM8K train rows 9 and 17: answers of several lines ("...per 8-hour shift\nShe works ...").
    const rows = (await Deno.readTextFile(TRAIN)).split("\n", 18);
    for (const row of [9, 17]) assert.match(JSON.parse(rows[row]).answer, /\n/);
    await renderRow(base, 9);
    // --prompt-page-frames is unused under shrink: recorded as its default, as fingerprinted.
    await renderRow(base, 17, [
      "--margin",
      "40",
      "--long-prompt",
      "shrink",
      "--prompt-page-frames",
      "5",
    ]);
    const dir = join(base, "gsm8k");
    const nine = (await readJsonl(join(dir, "gsm8k_rendering_video_data_9.jsonl")))[0];
    const seventeen = (await readJsonl(join(dir, "gsm8k_rendering_video_data_17.jsonl")))[0];

    // The line says what the video shows: each answer line starts a sentence on screen, and
    // response_text is those sentences joined; layout is what the plan was made with.
    const sentences = nine.response_sentences as string[];
    assert.ok(sentences.some((s) => s.endsWith("per 8-hour shift")), sentences.join(" | "));
    assert.equal(nine.response_text, sentences.join(" "));
    assert.equal((nine.layout as Record<string, unknown>).margin, 15);
    assert.equal((seventeen.layout as Record<string, unknown>).margin, 40);
    assert.equal((seventeen.layout as Record<string, unknown>).long_prompt, "shrink");
    assert.equal((seventeen.layout as Record<string, unknown>).prompt_page_frames, 10);
    // Both manifests of a render have the same keys, and so do the two runs' lines.
    for (const start of [9, 17]) {
      const inference = await readJsonl(join(dir, `gsm8k_inference_video_data_${start}.jsonl`));
      assert.deepEqual(Object.keys(inference[0]), Object.keys(nine));
    }
    assert.deepEqual(Object.keys(seventeen), Object.keys(nine));

    const { summary, scores } = await scoreDataset(dir, { ...scoreDefaults(), progress: "none" });
    assert.deepEqual(summary.problems, []);
    assert.equal(summary.scored, 2);
    assert.ok(summary.cer! <= 0.01, `CER ${summary.cer}`);
    assert.deepEqual(summary.flagged, []);
    assert.equal(summary.answer_accuracy, 1);
    assert.ok(scores.every((s) => s.pages.length >= 1));

    // A record that does not give the video is reported, not guessed around.
    const line = seventeen as unknown as ManifestLine;
    const wrongMargin = await expectedPages({
      ...line,
      layout: { ...(line.layout as object), margin: 15 },
    });
    assert.ok("problem" in wrongMargin);
    assert.match(wrongMargin.problem, /recorded layout re-plans to a different video \(.*\)/);
    const { layout: _, ...unrecorded } = line;
    const old = await expectedPages(unrecorded as ManifestLine);
    assert.ok("problem" in old);
    assert.match(old.problem, /no layout record \(an older manifest: run the same render/);
    const right = await expectedPages(line);
    assert.ok(!("problem" in right) && right.pages.length === line.pages);

    // An older manifest, without the keys: the same render again keeps the video and rewrites it.
    const manifest = join(dir, "gsm8k_rendering_video_data_9.jsonl");
    const { layout: _l, prompt_sentences: _p, response_sentences: _r, ...older } = nine;
    await Deno.writeTextFile(manifest, JSON.stringify(older) + "\n");
    const before = await expectedPages(older as ManifestLine);
    assert.ok("problem" in before);
    assert.match(before.problem, /no prompt_sentences\/response_sentences \(an older manifest/);
    const mtime = (await Deno.stat(nine.video_path as string)).mtime;
    await renderRow(base, 9);
    assert.deepEqual((await Deno.stat(nine.video_path as string)).mtime, mtime);
    const rewritten = (await readJsonl(manifest))[0];
    assert.deepEqual(rewritten, nine);
    assert.ok(!("problem" in await expectedPages(rewritten as unknown as ManifestLine)));
  });
});

Deno.test("score: every line re-plans from its record alone (stories cut, varied looks, presets)", async () => {
  await withTempDir(async (base) => {
    const runs: [string, string[]][] = [
      ["tinystories", ["--frames", "130"]],
      ["tinystories_chinese", ["--preset", "ltx"]],
      ["gsm8k", ["--style", "varied", "--pace", "fit", "--hold-frames", "30"]],
      ["belle_school_math", ["--style", "varied", "--preset", "cogvideox"]],
    ];
    let truncated = 0;
    for (const [dataset, flags] of runs) {
      const out = join(base, dataset);
      const run = await runVideoword([
        "render",
        dataset,
        ...["--source", "samples", "--num-samples", "6", "--base-dir", out, "--no-progress"],
        ...flags,
      ]);
      assert.equal(run.code, 0, run.stderr);
      const lines = await readJsonl(join(out, dataset, `${dataset}_rendering_video_data_0.jsonl`));
      assert.ok(lines.length >= 3, `${dataset}: ${lines.length} lines`);
      for (const line of lines) {
        if (line.truncated === true) truncated++;
        const expected = await expectedPages(line as unknown as ManifestLine);
        assert.ok(
          !("problem" in expected),
          `${dataset} ${line.index}: ${JSON.stringify(expected)}`,
        );
        assert.equal(expected.pages.length, line.pages);
        assert.equal(expected.fontSize, line.font_size);
      }
    }
    assert.ok(truncated > 0, "some stories are cut");
  });
});
