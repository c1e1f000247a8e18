/**
 * A dataset declared in `videoword.jsonc` works like a built-in: over local JSON Lines with
 * nested fields and over a Parquet file (written with hyparquet-writer), it is rendered,
 * previewed, exported and listed; a field the data lacks is one error listing its columns.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parquetWriteBuffer } from "hyparquet-writer";
import { offlineHubEnv, withTestHub } from "./helpers/test_hub.ts";
import { listNames, readJsonl, ROOT, runVideoword, withTempDir } from "./helpers/video.ts";

/** `videoword ARGS` in `cwd` with `env` (the loopback Hub), no Hugging Face settings of the host. */
function videoword(args: string[], cwd: string, env: Record<string, string>) {
  return runVideoword(args, { cwd, env: offlineHubEnv(cwd, env) });
}

/** Real GSM8K test rows, reshaped: the question nested under `problem.text`. */
async function gsm8kTestRows(count: number): Promise<{ question: string; answer: string }[]> {
  const rows = await readJsonl(join(ROOT, "tests/fixtures/rows/gsm8k_test_head50.jsonl"));
  return rows.slice(0, count) as { question: string; answer: string }[];
}

const COUNT = 4;

Deno.test("declared dataset: nested JSONL and Parquet render, preview, export like a built-in", async () => {
  await withTempDir(async (dir) => {
    const rows = await gsm8kTestRows(COUNT);
    await Deno.mkdir(join(dir, "rows"));
    // JSON Lines, the question two levels down, the steps in a list item picked by role.
    await Deno.writeTextFile(
      join(dir, "rows", "part-0.jsonl"),
      rows.map((row, i) =>
        JSON.stringify({
          id: `q${i}`,
          problem: { text: row.question, source: "gsm8k test" },
          turns: [{ speaker: "tutor", said: row.answer }],
        })
      ).join("\n") + "\n",
    );
    // Parquet with plain string columns, under other names.
    await Deno.writeFile(
      join(dir, "rows", "flat.parquet"),
      new Uint8Array(parquetWriteBuffer({
        columnData: [
          { name: "q", data: rows.map((row) => row.question), type: "STRING" },
          { name: "a", data: rows.map((row) => row.answer), type: "STRING" },
        ],
      })),
    );
    await Deno.writeTextFile(
      join(dir, "videoword.jsonc"),
      `{
  // Two declared datasets over the same real rows.
  "datasets": {
    "nested_math": {
      "files": ["rows/*.jsonl"],
      "kind": "math",
      "language": "en",
      "fields": { "prompt": "problem.text", "answer": "turns[speaker=tutor].said" },
      "clean": ["gsm8k_calculator", "gsm8k_final_answer"],
      "license": "MIT",
      "templates": { "inference": "Solve: {prompt}" }
    },
    "flat_math": {
      "files": { "test": "rows/flat.parquet" },
      "kind": "math",
      "language": "en",
      "fields": { "prompt": "q", "answer": "a" },
      "clean": ["gsm8k_calculator", "gsm8k_final_answer"],
      "license": "MIT"
    }
  }
}
`,
    );
    const base = join(dir, "out");
    const run = (args: string[]) => runVideoword(args, { cwd: dir });

    const nested = await run([
      "render",
      "nested_math",
      ...["--base-dir", base, "--no-progress"],
    ]);
    assert.equal(nested.code, 0, nested.stderr);
    const flat = await run([
      "render",
      "flat_math",
      ...["--split", "test", "--base-dir", base, "--no-progress"],
    ]);
    assert.equal(flat.code, 0, flat.stderr);
    assert.deepEqual(await listNames(base), ["flat_math-test", "nested_math"]);

    const nestedLines = await readJsonl(
      join(base, "nested_math", "nested_math_inference_video_data_0.jsonl"),
    );
    const flatLines = await readJsonl(
      join(base, "flat_math-test", "flat_math-test_rendering_video_data_0.jsonl"),
    );
    assert.equal(nestedLines.length, COUNT);
    assert.equal(flatLines.length, COUNT);
    for (const [i, row] of rows.entries()) {
      const question = row.question.replace(/ {2,}/g, " ").trim();
      assert.equal(nestedLines[i].prompt, `Solve: ${question}`);
      assert.equal(nestedLines[i].dataset, "nested_math");
      // The calculator notes are gone and the final answer is spelled out, as for gsm8k.
      assert.ok(String(flatLines[i].prompt).includes(`Question: "${question}"`));
      assert.ok(!String(flatLines[i].prompt).includes("<<"));
      assert.match(String(flatLines[i].prompt), /So the answer is: [^"]+\."$/);
      await Deno.stat(String(flatLines[i].video_path));
    }

    // preview: the same manifest line the render wrote.
    const preview = await run([
      "preview",
      "flat_math",
      ...["--split", "test", "--index", "2", "--base-dir", base, "--json"],
    ]);
    assert.equal(preview.code, 0, preview.stderr);
    const plan = JSON.parse(preview.stdout);
    assert.equal(plan.dataset, "flat_math");
    assert.equal(plan.index, 2);
    const previewLines = await run([
      "preview",
      "nested_math",
      ...["--index", "1", "--base-dir", base, "--out", join(dir, "pv")],
    ]);
    assert.equal(previewLines.code, 0, previewLines.stderr);
    assert.ok(previewLines.stdout.includes(JSON.stringify(nestedLines[1])), previewLines.stdout);

    // export: a trainer's metadata over the declared dataset's videos.
    const out = join(dir, "export");
    const exported = await run(["export", "finetrainers", join(base, "nested_math"), "--out", out]);
    assert.equal(exported.code, 0, exported.stderr);
    const metadata = await readJsonl(join(out, "metadata.jsonl"));
    assert.equal(metadata.length, COUNT);

    // score: the videos read back (OCR) as the manifest says, answers included.
    const scored = await run(["score", join(base, "flat_math-test"), "--json"]);
    assert.equal(scored.code, 0, scored.stderr);
    const summary = JSON.parse(scored.stdout);
    assert.equal(summary.samples, COUNT);
    assert.ok(summary.cer <= 0.02, `CER ${summary.cer}`);
    assert.equal(summary.answer_accuracy, 1);

    // download --list shows the declared datasets beside the built-ins.
    const listed = await run(["download", "--list", "--data-dir", join(dir, "data")]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /^gsm8k +openai\/gsm8k /m);
    assert.match(listed.stdout, /^nested_math \(declared\) +local files +en +train .* MIT /m);
    assert.match(listed.stdout, /^flat_math \(declared\) +local files +en +test /m);
    const download = await run(["download", "nested_math", "--data-dir", join(dir, "data")]);
    assert.notEqual(download.code, 0);
    assert.match(
      download.stderr,
      /nested_math is declared with local files .*: nothing to download/,
    );
  });
});

Deno.test("declared dataset: a field the data lacks lists the columns it has", async () => {
  await withTempDir(async (dir) => {
    const rows = await gsm8kTestRows(2);
    await Deno.writeTextFile(
      join(dir, "rows.jsonl"),
      rows.map((row) => JSON.stringify({ problem: { text: row.question }, solution: row.answer }))
        .join("\n") + "\n",
    );
    await Deno.writeFile(
      join(dir, "rows.parquet"),
      new Uint8Array(parquetWriteBuffer({
        columnData: [
          { name: "q", data: rows.map((row) => row.question), type: "STRING" },
          { name: "a", data: rows.map((row) => row.answer), type: "STRING" },
        ],
      })),
    );
    const declare = (files: string, prompt: string) =>
      Deno.writeTextFile(
        join(dir, "videoword.jsonc"),
        JSON.stringify({
          datasets: {
            mine: { files, kind: "math", language: "en", fields: { prompt, answer: "a" } },
          },
        }),
      );
    await declare("rows.parquet", "question");
    const parquet = await runVideoword(["render", "mine", "--base-dir", join(dir, "out")], {
      cwd: dir,
    });
    assert.equal(parquet.code, 1);
    assert.equal(
      parquet.stderr.trim(),
      `videoword: mine: field 'question' not in rows.parquet, which has: q, a ` +
        `(fix "fields" of datasets.mine in videoword.jsonc)`,
    );
    await declare("rows.jsonl", "problem.txt");
    const jsonl = await runVideoword(["preview", "mine", "--json"], { cwd: dir });
    assert.equal(jsonl.code, 1);
    // `problem` is there (its `txt` is a per-row skip); `a` is not a column at all.
    assert.equal(
      jsonl.stderr.trim(),
      `videoword: mine: field 'a' not in rows.jsonl, which has: problem, solution ` +
        `(fix "fields" of datasets.mine in videoword.jsonc)`,
    );
    // A bad declaration fails before anything runs, naming file, line and key.
    await Deno.writeTextFile(
      join(dir, "videoword.jsonc"),
      `{\n  "datasets": {\n    "mine": { "files": "rows.jsonl", "kind": "essay" }\n  }\n}\n`,
    );
    const bad = await runVideoword(["render", "mine"], { cwd: dir });
    // A settings file that can never work is a usage error (exit 2), before any work.
    assert.equal(bad.code, 2);
    assert.match(
      bad.stderr,
      /videoword\.jsonc:3:\d+: key "datasets\.mine\.kind": "essay" must be one of math, story/,
    );
  });
});

Deno.test("declared dataset: a Hub repo with a config but no splits; submit passes its config", async () => {
  await withTestHub({ datasets: ["gsm8k"] }, async (hub, dir) => {
    const env = { HF_ENDPOINT: hub.endpoint, VIDEOWORD_RETRY_BASE_MS: "1" };
    const config = join(dir, "settings", "mine.jsonc");
    await Deno.mkdir(join(dir, "settings"));
    // Split S of config `main` is `main/S-*.parquet`, as the Hub lays Parquet out.
    await Deno.writeTextFile(
      config,
      JSON.stringify({
        datasets: {
          my_gsm: {
            hub: "openai/gsm8k",
            config: "main",
            kind: "math",
            language: "en",
            fields: { prompt: "question", answer: "answer" },
            clean: ["gsm8k_calculator"],
          },
        },
      }),
    );
    const data = join(dir, "data");
    const run = (args: string[]) =>
      videoword([...args, "--config", config, "--data-dir", data], dir, env);
    const down = await run(["download", "my_gsm", "--split", "test"]);
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stdout, /^my_gsm-test: 1 file\(s\), .*50 rows/m);
    const rendered = await run([
      "render",
      "my_gsm",
      ...["--split", "test", "--num-samples", "2", "--mode", "rendering", "--no-progress"],
      ...["--base-dir", join(dir, "out")],
    ]);
    assert.equal(rendered.code, 0, rendered.stderr);
    const lines = await readJsonl(
      join(dir, "out", "my_gsm-test", "my_gsm-test_rendering_video_data_0.jsonl"),
    );
    assert.equal(lines.length, 2);
    // Only the calculator rule: the `####` line is kept as it is.
    assert.match(String(lines[0].prompt), /^An educational video.*Janet’s ducks.* #### 18"$/);
    assert.ok(!String(lines[0].prompt).includes("<<"));

    const plan = await run([
      "submit",
      "my_gsm",
      "inference",
      ...["--split", "test", "--dry-run", "--json", "--max-array-size", "1001"],
    ]);
    assert.equal(plan.code, 0, plan.stderr);
    const [job] = JSON.parse(plan.stdout).jobs;
    assert.equal(job.name, "vwd_my_gsm-test_inference");
    assert.equal(job.total_rows, 50);
    assert.ok(job.script.includes(`'render' 'my_gsm'`), job.script);
    assert.ok(job.script.includes(`'--config' '${config}' '--split' 'test'`), job.script);
  });
});
