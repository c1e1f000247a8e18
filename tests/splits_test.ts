/**
 * `--split`: the loopback Hub serves gsm8k's train Parquet and its real test Parquet (the first
 * 50 test rows); `download gsm8k` fetches train only, `download gsm8k --split test` the test
 * file into its own folder, and `render gsm8k --split test` writes manifests whose prompts are
 * the test questions in order, in `BASE/gsm8k-test`, apart from train's `BASE/gsm8k`.
 */
import assert from "node:assert/strict";
import { basename, join } from "node:path";
import { getDataset } from "../src/datasets/mod.ts";
import { readDownloadManifest } from "../src/hub/mod.ts";
import {
  manifestFileName,
  parseManifestFileName,
  parseSplitOutputName,
  parseVideoFileName,
  splitNameProblem,
  splitOutputName,
  videoFileName,
} from "../src/paths/mod.ts";
import { FIXTURE_ROWS, GSM8K_TEST_ROWS } from "./helpers/hub_fixtures.ts";
import { offlineHubEnv, withTestHub } from "./helpers/test_hub.ts";
import { listNames, readJsonl, ROOT, runVideoword } from "./helpers/video.ts";

const TEST_FILE = "main/test-00000-of-00001.parquet";

function videoword(args: string[], cwd: string, env: Record<string, string>) {
  return runVideoword(args, { cwd, env: offlineHubEnv(cwd, env) });
}

Deno.test("split names: train keeps the seed's names; others build and parse back", () => {
  assert.equal(splitOutputName("gsm8k"), "gsm8k");
  assert.equal(splitOutputName("gsm8k", "train"), "gsm8k");
  assert.equal(splitOutputName("gsm8k", "test"), "gsm8k-test");
  assert.equal(
    splitOutputName("tinystories_chinese", "train_sft"),
    "tinystories_chinese-train_sft",
  );
  assert.deepEqual(parseSplitOutputName("gsm8k-test"), { dataset: "gsm8k", split: "test" });
  assert.deepEqual(parseSplitOutputName("tinystories_chinese"), {
    dataset: "tinystories_chinese",
    split: "train",
  });
  // `gsm8k-train` is never built (train is `gsm8k`), so it is no name of this tool.
  assert.equal(parseSplitOutputName("gsm8k-train"), null);
  assert.equal(parseSplitOutputName("gsm8k-Test"), null);
  for (const split of ["test", "validation", "train_sft", "v1.dev"]) {
    const name = splitOutputName("belle_school_math", split);
    assert.deepEqual(parseSplitOutputName(name), { dataset: "belle_school_math", split });
    const video = videoFileName(name, 12);
    assert.deepEqual(parseVideoFileName(video), { dataset: name, index: 12 });
    for (const kind of ["silent", "narrated"] as const) {
      const manifest = manifestFileName(name, { kind, mode: "inference", start: 1000 });
      assert.deepEqual(parseManifestFileName(manifest), {
        dataset: name,
        kind,
        mode: "inference",
        start: 1000,
      });
    }
  }
  assert.match(splitNameProblem("Test")!, /lower-case/);
  assert.match(splitNameProblem("x_audio")!, /must not end in '_audio'/);
  assert.throws(() => splitOutputName("gsm8k", "../x"), /split name/);
});

Deno.test("download --split test, then render --split test: test questions in order, apart from train", async () => {
  await withTestHub({ datasets: ["gsm8k"] }, async (hub, dir) => {
    const env = { HF_ENDPOINT: hub.endpoint, VIDEOWORD_RETRY_BASE_MS: "1" };
    const data = join(dir, "data");
    const base = join(dir, "out");

    const train = await videoword(["download", "gsm8k", "--data-dir", data], dir, env);
    assert.equal(train.code, 0, train.stderr);
    assert.ok(!hub.requests.some((r) => r.path.endsWith(TEST_FILE)), "train fetched the test file");
    const trainManifest = await readDownloadManifest(data, "gsm8k");
    assert.equal(trainManifest?.rowCount, FIXTURE_ROWS.gsm8k);
    assert.deepEqual(trainManifest?.files.map((f) => f.path), [
      "main/train-00000-of-00001.parquet",
    ]);

    const test = await videoword(
      ["download", "gsm8k", "--split", "test", "--data-dir", data],
      dir,
      env,
    );
    assert.equal(test.code, 0, test.stderr);
    assert.match(test.stdout, /^gsm8k-test: 1 file\(s\), .* -> .*\/data\/gsm8k-test$/m);
    const testManifest = await readDownloadManifest(data, "gsm8k-test");
    assert.equal(testManifest?.split, "test");
    assert.equal(testManifest?.rowCount, GSM8K_TEST_ROWS);
    assert.deepEqual(testManifest?.files.map((f) => f.path), [TEST_FILE]);
    assert.equal(
      testManifest?.files[0].sha256,
      hub.files("openai/gsm8k").get(TEST_FILE)!.sha256,
    );
    // The train download is untouched by the test one.
    assert.deepEqual(await readDownloadManifest(data, "gsm8k"), trainManifest);

    const listed = await videoword(
      ["download", "--list", "--split", "test", "--data-dir", data],
      dir,
      env,
    );
    assert.match(listed.stdout, /^gsm8k +openai\/gsm8k +en +train,test .* present: 50 rows/m);
    assert.match(listed.stdout, /^tinystories_chinese .* no split 'test'$/m);

    const count = 5;
    const common = [
      "--data-dir",
      data,
      "--base-dir",
      base,
      "--num-samples",
      String(count),
      "--no-progress",
    ];
    const rendered = await videoword(["render", "gsm8k", "--split", "test", ...common], dir, env);
    assert.equal(rendered.code, 0, rendered.stderr);
    const trainRun = await videoword(
      ["render", "gsm8k", "--num-samples", "2", ...common.slice(0, 4), "--no-progress"],
      dir,
      env,
    );
    assert.equal(trainRun.code, 0, trainRun.stderr);

    assert.deepEqual(await listNames(base), ["gsm8k", "gsm8k-test"]);
    const questions = (await readJsonl(join(ROOT, "tests/fixtures/rows/gsm8k_test_head50.jsonl")))
      .slice(0, count)
      .map((row) => {
        const cleaned = getDataset("gsm8k").clean(row);
        assert.ok(cleaned.ok);
        return cleaned.prompt;
      });
    for (const mode of ["inference", "rendering"] as const) {
      const lines = await readJsonl(
        join(base, "gsm8k-test", `gsm8k-test_${mode}_video_data_0.jsonl`),
      );
      assert.equal(lines.length, count);
      lines.forEach((line, i) => {
        assert.equal(line.index, i);
        assert.equal(line.dataset, "gsm8k");
        assert.ok(
          String(line.prompt).includes(`"${questions[i]}"`),
          `${mode} ${i}: ${line.prompt}`,
        );
        const video = String(line.video_path);
        assert.equal(
          video,
          join(base, "gsm8k-test", "video", `gsm8k-test_${String(i).padStart(6, "0")}.mp4`),
        );
        assert.deepEqual(parseVideoFileName(basename(video)), { dataset: "gsm8k-test", index: i });
      });
    }
    // The first test question is Janet's ducks; train's first is Natalia's clips.
    assert.match(questions[0], /^Janet’s ducks lay 16 eggs per day/);
    const trainLines = await readJsonl(join(base, "gsm8k", "gsm8k_inference_video_data_0.jsonl"));
    assert.equal(trainLines.length, 2);
    assert.match(String(trainLines[0].prompt), /Natalia sold clips/);
    assert.deepEqual(await listNames(join(base, "gsm8k-test", "video"), /\.mp4$/), [
      "gsm8k-test_000000.mp4",
      "gsm8k-test_000001.mp4",
      "gsm8k-test_000002.mp4",
      "gsm8k-test_000003.mp4",
      "gsm8k-test_000004.mp4",
    ]);
    assert.deepEqual(await listNames(join(base, "gsm8k", "video"), /\.mp4$/), [
      "gsm8k_000000.mp4",
      "gsm8k_000001.mp4",
    ]);

    // verify and export read the split folder like any other.
    const verified = await videoword(["verify", join(base, "gsm8k-test")], dir, env);
    assert.equal(verified.code, 0, verified.stdout + verified.stderr);
    const exported = await videoword(
      ["export", "diffsynth", join(base, "gsm8k-test"), "--out", join(dir, "export")],
      dir,
      env,
    );
    assert.equal(exported.code, 0, exported.stderr);

    // A split the dataset does not declare, and a render of a split not downloaded.
    const unknown = await videoword(["render", "gsm8k", "--split", "dev", ...common], dir, env);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /gsm8k has no split 'dev' \(declared: train, test\)/);
    const tiny = await videoword(
      ["render", "tinystories", "--split", "validation", ...common],
      dir,
      env,
    );
    assert.notEqual(tiny.code, 0);
    assert.match(tiny.stderr, /run: videoword download tinystories --split validation --data-dir/);
    const bad = await videoword(["render", "gsm8k", "--split", "Test", ...common], dir, env);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /split name 'Test' must be lower-case/);
  });
});

Deno.test("submit --split test: its own job names, --split passed to render, test row count", async () => {
  await withTestHub({ datasets: ["gsm8k"] }, async (hub, dir) => {
    const env = { HF_ENDPOINT: hub.endpoint, VIDEOWORD_RETRY_BASE_MS: "1" };
    const data = join(dir, "data");
    const down = await videoword(
      ["download", "gsm8k", "--split", "test", "--data-dir", data],
      dir,
      env,
    );
    assert.equal(down.code, 0, down.stderr);
    const plan = await videoword(
      [
        "submit",
        "gsm8k",
        "inference",
        "--split",
        "test",
        "--data-dir",
        data,
        "--dry-run",
        "--json",
        "--max-array-size",
        "1001",
      ],
      dir,
      env,
    );
    assert.equal(plan.code, 0, plan.stderr);
    const { jobs } = JSON.parse(plan.stdout);
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0].name, "vwd_gsm8k-test_inference");
    assert.equal(jobs[0].total_rows, GSM8K_TEST_ROWS);
    assert.match(jobs[0].script, /'render' 'gsm8k' '--mode' .* '--split' 'test'/);
    const missing = await videoword(
      ["submit", "gsm8k", "inference", "--data-dir", data, "--dry-run", "--max-array-size", "1001"],
      dir,
      env,
    );
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /gsm8k: no download manifest/);
  });
});
