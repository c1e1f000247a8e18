import assert from "node:assert/strict";
import { join } from "node:path";
import { runVideoword, withTempDir } from "./helpers/video.ts";
import { resolveOptions, submitSettings } from "../src/options/mod.ts";
import {
  formatDryRun,
  formatStatus,
  jobName,
  parseMaxArraySize,
  parseQueue,
  partTasks,
  planArray,
  planJobs,
  selfCommand,
  shardProgress,
  shellQuote,
  type SubmitSettings,
  summariseQueue,
} from "../src/slurm/mod.ts";

const ROOT = new URL("..", import.meta.url).pathname;

/** Every row 0..total-1 covered exactly once, tasks contiguous, limits respected. */
function assertCoverage(total: number, spn: number, nodes: number | null, maxArray: number) {
  const plan = planArray(total, { samplesPerNode: spn, nodes, maxArraySize: maxArray });
  let expected = 0;
  let tasks = 0;
  for (const [p, part] of plan.parts.entries()) {
    assert.ok(part.array_size >= 1 && part.array_size <= maxArray, "array within MaxArraySize");
    assert.equal(part.offset, p * maxArray);
    for (const task of partTasks(plan, part)) {
      assert.equal(
        task.start_idx,
        expected,
        `gap/overlap at ${expected} (${total},${spn},${nodes})`,
      );
      assert.ok(task.num_samples >= 1 && task.num_samples <= plan.rows_per_task);
      expected += task.num_samples;
      tasks++;
    }
  }
  assert.equal(expected, total, `covered ${expected} of ${total}`);
  assert.equal(tasks, plan.task_count);
  if (nodes !== null) assert.ok(plan.task_count <= nodes, "respects the nodes cap");
  if (nodes === null || Math.ceil(total / spn) <= nodes) {
    assert.equal(plan.rows_per_task, Math.min(spn, total), "rows per task unchanged when no cap");
  }
}

Deno.test("plan: awkward sizes", () => {
  // 7473 rows, 1000 per task: 8 tasks, the last has 473
  const gsm = planArray(7473, { samplesPerNode: 1000 });
  assert.equal(gsm.task_count, 8);
  const last = partTasks(gsm, gsm.parts[0]).at(-1)!;
  assert.deepEqual(last, { id: 7, start_idx: 7000, num_samples: 473 });
  // The old scripts' bug: 20 nodes × 10,000 covered 200,000 of TinyStories' 2,119,719 rows.
  const ts = planArray(2_119_719, { samplesPerNode: 10_000, nodes: 20 });
  assert.equal(ts.task_count, 20);
  assert.equal(ts.rows_per_task, 105_986);
  assertCoverage(2_119_719, 10_000, 20, 1001);
  // Without the cap: 212 tasks in one array.
  assert.equal(planArray(2_119_719, { samplesPerNode: 10_000 }).task_count, 212);
  // Tiny datasets and one-row tasks.
  assert.deepEqual(planArray(1, { samplesPerNode: 100 }).rows_per_task, 1);
  assertCoverage(1, 100, null, 1001);
  assertCoverage(30, 1, null, 7);
  assert.throws(() => planArray(0, { samplesPerNode: 5 }), /total rows/);
  assert.throws(() => planArray(10, { samplesPerNode: 0 }), /samples per node/);
});

Deno.test("plan: MaxArraySize splits into several jobs with offsets", () => {
  const plan = planArray(3_952_863, { samplesPerNode: 1000, maxArraySize: 1001 });
  assert.equal(plan.task_count, 3953);
  assert.deepEqual(plan.parts.map((p) => [p.offset, p.array_size]), [
    [0, 1001],
    [1001, 1001],
    [2002, 1001],
    [3003, 950],
  ]);
  const lastPart = plan.parts[3];
  const tasks = partTasks(plan, lastPart);
  assert.deepEqual(tasks[0], { id: 0, start_idx: 3_003_000, num_samples: 1000 });
  assert.deepEqual(tasks.at(-1), { id: 949, start_idx: 3_952_000, num_samples: 863 });
  assertCoverage(3_952_863, 1000, null, 1001);
});

Deno.test("plan: property check over many sizes", () => {
  let seed = 12345;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return 1 + (seed % n);
  };
  for (let i = 0; i < 3000; i++) {
    const total = rand(i % 3 === 0 ? 50 : 200_000);
    const spn = rand(i % 2 === 0 ? 30 : 20_000);
    const nodes = i % 4 === 0 ? null : rand(300);
    const maxArray = rand(i % 5 === 0 ? 4 : 1001);
    assertCoverage(total, spn, nodes, maxArray);
  }
});

function settings(baseDir: string, extra: Partial<SubmitSettings> = {}): SubmitSettings {
  return {
    ...submitSettings(
      resolveOptions("submit", { flags: { baseDir, dataDir: join(baseDir, "data") } }).values,
      "/",
    ),
    ...extra,
  };
}

async function runScript(script: string, taskId: number, dir: string): Promise<string[]> {
  const path = join(dir, "job.sh");
  await Deno.writeTextFile(path, script);
  const out = await new Deno.Command("bash", {
    args: [path],
    env: { SLURM_ARRAY_TASK_ID: String(taskId), SLURM_CPUS_PER_TASK: "3" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const text = new TextDecoder().decode(out.stdout);
  // The stub prints each argv element followed by NUL; the script's echo line comes first.
  const start = text.indexOf("\n") + 1;
  return text.slice(start).split("\0").slice(0, -1);
}

Deno.test("script: hostile paths and arguments reach the program unchanged", async () => {
  await withTempDir(async (dir) => {
    const stub = join(dir, "stub prog 'x' $(touch pwned)");
    await Deno.writeTextFile(stub, `#!/bin/bash\nprintf '%s\\0' "$@"\n`);
    await Deno.chmod(stub, 0o755);
    const base = join(dir, `out dir/it's "quoted" $(touch pwned) \`id\` $HOME ; rm -rf x`);
    const extra = ["--source", "samples", "--title", "a'b\"c $(d) `e` \\ f", ""];
    const jobs = planJobs([{ dataset: "gsm8k", task: "audio-both", totalRows: 25 }], {
      settings: settings(base, { samplesPerNode: 10 }),
      maxArraySize: 2,
      command: [stub, "--flag with space"],
      extraArgs: extra,
      cwd: dir,
    });
    assert.equal(jobs.length, 2);
    assert.deepEqual(jobs.map((j) => j.name), [
      "vwd_gsm8k_audio-both_part1",
      "vwd_gsm8k_audio-both_part2",
    ]);
    for (const job of jobs) {
      for (const task of job.tasks) {
        const argv = await runScript(job.script, task.id, dir);
        assert.deepEqual(argv, [
          "--flag with space",
          "audio-render",
          "gsm8k",
          "--mode",
          "both",
          "--base-dir",
          base,
          "--data-dir",
          join(base, "data"),
          "--start-idx",
          String(task.start_idx),
          "--num-samples",
          String(task.num_samples),
          "--num-workers",
          "3",
          ...extra,
        ]);
      }
    }
    // Script arithmetic agrees with the plan: rows 0-9, 10-19 | 20-24.
    assert.deepEqual(jobs[1].tasks, [{ id: 0, start_idx: 20, num_samples: 5 }]);
    await assert.rejects(() => Deno.stat(join(dir, "pwned")));
    await assert.rejects(() => Deno.stat("pwned"));
  }, "vw plan '$(x)"); // a folder name the script must quote
});

Deno.test("script: shellQuote round-trips through bash", async () => {
  const values = [
    "plain",
    "",
    "a b",
    "it's",
    "'",
    "''",
    '"$HOME"',
    "$(id)",
    "`id`",
    "a\nb",
    "\\",
    "*",
  ];
  const out = await new Deno.Command("bash", {
    args: ["-c", `printf '%s\\0' ${values.map(shellQuote).join(" ")}`],
    stdout: "piped",
  }).output();
  assert.deepEqual(new TextDecoder().decode(out.stdout).split("\0").slice(0, -1), values);
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
});

Deno.test("script: sbatch options and directives", () => {
  const s = settings("/out", {
    partition: "gpu",
    mem: "8G",
    sbatchArgs: ["--account=p1"],
    cpusPerTask: 6,
  });
  const [job] = planJobs([{ dataset: "tinystories", task: "inference", totalRows: 95 }], {
    settings: s,
    command: ["/opt/videoword"],
    cwd: "/work dir",
  });
  assert.equal(job.name, "vwd_tinystories_inference");
  assert.deepEqual(job.sbatch_args, [
    "--job-name=vwd_tinystories_inference",
    "--array=0-0",
    "--output=/out/logs/%x_%A_%a.out",
    "--error=/out/logs/%x_%A_%a.err",
    "--nodes=1",
    "--ntasks=1",
    "--cpus-per-task=6",
    "--time=24:00:00",
    "--chdir=/work dir",
    "--partition=gpu",
    "--mem=8G",
    "--account=p1",
  ]);
  assert.match(job.script, /^#!\/bin\/bash\n#SBATCH --job-name=vwd_tinystories_inference\n/);
  assert.match(job.script, /\n#SBATCH --chdir="\/work dir"\n/);
  assert.match(
    job.script,
    /\nexec '\/opt\/videoword' 'render' 'tinystories' '--mode' 'inference' /,
  );
  assert.equal(jobName("gsm8k", "both"), "vwd_gsm8k_both");
});

Deno.test("self: from a checkout, deno run -A on the absolute main.ts", () => {
  const argv = selfCommand();
  assert.equal(argv[0], Deno.execPath());
  assert.deepEqual(argv.slice(1, 3), ["run", "-A"]);
  assert.equal(argv.at(-1), join(ROOT, "main.ts"));
  assert.ok(argv.includes(join(ROOT, "deno.json")));
});

Deno.test("cluster output parsing", () => {
  assert.equal(parseMaxArraySize("Foo = 1\nMaxArraySize            = 40001\nX = y\n"), 40001);
  assert.equal(parseMaxArraySize("nothing"), null);
  const entries = parseQueue(
    "12|[3-9]|vwd_gsm8k_both|PENDING\n12|1|vwd_gsm8k_both|RUNNING\n12|2|vwd_gsm8k_both|RUNNING\n" +
      "12|0|vwd_gsm8k_both|FAILED\n15|N/A|vwd_x_inference|PENDING\n",
  );
  assert.deepEqual(summariseQueue(entries), [
    { jobId: "12", name: "vwd_gsm8k_both", states: { PENDING: 7, RUNNING: 2, FAILED: 1 } },
    { jobId: "15", name: "vwd_x_inference", states: { PENDING: 1 } },
  ]);
});

async function cli(
  args: string[],
  cwd = ROOT,
): Promise<{ code: number; out: string; err: string }> {
  const run = await runVideoword(args, {
    cwd,
    env: { NUM_NODES: "", SAMPLES_PER_NODE: "", BASE_DIR: "" },
  });
  return { code: run.code, out: run.stdout, err: run.stderr };
}

Deno.test("submit --dry-run: text and JSON plans, nothing submitted", async () => {
  await withTempDir(async (dir) => {
    const common = ["--total-rows", "7473", "--samples-per-node", "1000", "--base-dir", dir];
    const text = await cli([
      "submit",
      "gsm8k",
      "both",
      "--dry-run",
      "--max-array-size",
      "5",
      ...common,
      "--",
      "--source",
      "samples",
    ]);
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /job vwd_gsm8k_both_part1: dataset gsm8k, task both/);
    assert.match(text.out, /array 0-4 \(5 tasks\), 1000 rows per task, 7473 rows in total/);
    assert.match(text.out, /task 0: rows 0-999 \(1000\)/);
    assert.match(
      text.out,
      /job vwd_gsm8k_both_part2: .*\n.*array 0-2 \(3 tasks\).*global task offset 5/,
    );
    assert.match(text.out, /task 2: rows 7000-7472 \(473\)/);
    assert.match(text.out, /OFFSET=5\n/);
    assert.match(text.out, /'--source' 'samples'\n/);
    assert.match(text.out, /dry run: nothing submitted/);
    // Nothing was created: no logs dir.
    await assert.rejects(() => Deno.stat(join(dir, "logs")));

    const json = await cli([
      "submit",
      "gsm8k",
      "all",
      "--dry-run",
      "--json",
      "--nodes",
      "3",
      ...common,
    ]);
    assert.equal(json.code, 0, json.err);
    const plan = JSON.parse(json.out);
    assert.equal(plan.jobs.length, 6);
    for (const job of plan.jobs) {
      for (
        const key of [
          "name",
          "dataset",
          "task",
          "array_size",
          "rows_per_task",
          "total_rows",
          "tasks",
          "script",
        ]
      ) {
        assert.ok(key in job, key);
      }
      assert.equal(job.rows_per_task, 2491);
      assert.equal(job.array_size, 3);
      assert.deepEqual(job.tasks.map((t: { num_samples: number }) => t.num_samples), [
        2491,
        2491,
        2491,
      ]);
    }
    assert.deepEqual(plan.jobs.map((j: { task: string }) => j.task), [
      "inference",
      "rendering",
      "both",
      "audio-inference",
      "audio-rendering",
      "audio-both",
    ]);
    assert.match(plan.jobs[3].script, /'audio-render' 'gsm8k' '--mode' 'inference'/);
  });
});

Deno.test("submit: missing download manifest and bad task are clear errors", async () => {
  await withTempDir(async (dir) => {
    const missing = await cli([
      "submit",
      "gsm8k",
      "--dry-run",
      "--data-dir",
      dir,
      "--max-array-size",
      "9",
    ]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /gsm8k: no download manifest in .*--total-rows N/);
    const badTask = await cli(["submit", "gsm8k", "paint", "--dry-run", "--total-rows", "5"]);
    assert.equal(badTask.code, 1);
    assert.match(badTask.err, /unknown task 'paint'/);
    const badDataset = await cli(["submit", "nope", "--dry-run", "--total-rows", "5"]);
    assert.equal(badDataset.code, 1);
    assert.match(badDataset.err, /unknown dataset 'nope'/);
    // A download manifest supplies the row count.
    await Deno.mkdir(join(dir, "gsm8k"));
    await Deno.writeTextFile(
      join(dir, "gsm8k", "manifest.json"),
      JSON.stringify({
        dataset: "gsm8k",
        repo: "openai/gsm8k",
        revision: "main",
        commit: "abc",
        endpoint: "http://127.0.0.1",
        downloadedAt: new Date().toISOString(),
        files: [],
        rowCount: 7473,
      }),
    );
    const ok = await cli([
      "submit",
      "gsm8k",
      "inference",
      "--dry-run",
      "--json",
      "--data-dir",
      dir,
      "--max-array-size",
      "1001",
      "--samples-per-node",
      "5000",
    ]);
    assert.equal(ok.code, 0, ok.err);
    const job = JSON.parse(ok.out).jobs[0];
    assert.equal(job.total_rows, 7473);
    assert.deepEqual(job.tasks, [
      { id: 0, start_idx: 0, num_samples: 5000 },
      { id: 1, start_idx: 5000, num_samples: 2473 },
    ]);
  });
});

Deno.test("script: a control character in any value is refused, naming the option", () => {
  const base = settings("/out", { partition: "gpu", mem: "8G", sbatchArgs: ["--account=p1"] });
  const cases: [string, (bad: string) => Parameters<typeof planJobs>[1]][] = [
    ["--base-dir", (bad) => ({ settings: { ...base, baseDir: bad }, command: ["/v"], cwd: "/" })],
    ["--data-dir", (bad) => ({ settings: { ...base, dataDir: bad }, command: ["/v"], cwd: "/" })],
    [
      "--partition",
      (bad) => ({ settings: { ...base, partition: bad }, command: ["/v"], cwd: "/" }),
    ],
    ["--time", (bad) => ({ settings: { ...base, time: bad }, command: ["/v"], cwd: "/" })],
    ["slurm.mem", (bad) => ({ settings: { ...base, mem: bad }, command: ["/v"], cwd: "/" })],
    [
      "slurm.logs_dir",
      (bad) => ({ settings: { ...base, logsDir: bad }, command: ["/v"], cwd: "/" }),
    ],
    ["slurm.sbatch_args[1]", (bad) => ({
      settings: { ...base, sbatchArgs: ["--qos=x", bad] },
      command: ["/v"],
      cwd: "/",
    })],
    ["the working directory", (bad) => ({ settings: base, command: ["/v"], cwd: bad })],
    ["the videoword program path", (bad) => ({ settings: base, command: [bad], cwd: "/" })],
    ["videoword's start argument 1", (bad) => ({ settings: base, command: ["/v", bad], cwd: "/" })],
    ["render argument 2 (after --)", (bad) => ({
      settings: base,
      command: ["/v"],
      extraArgs: ["--title", bad],
      cwd: "/",
    })],
  ];
  const request = [{ dataset: "gsm8k", task: "both" as const, totalRows: 10 }];
  for (const [name, options] of cases) {
    for (
      const bad of ["x\n#SBATCH --partition=evil\ntouch /tmp/pwned", "a\tb", "a\rb", "a\u0085b"]
    ) {
      assert.throws(
        () => planJobs(request, options(bad)),
        (error: Error) => {
          assert.equal(error.message.split("\n").length, 1);
          assert.ok(
            error.message.startsWith(`${name} contains a control character`),
            error.message,
          );
          return true;
        },
      );
    }
    // The same option with a clean value plans fine.
    assert.equal(planJobs(request, options("clean value")).length, 1);
  }
});

Deno.test("dry-run lists a one-task array's task once", () => {
  const jobs = planJobs([{ dataset: "gsm8k", task: "rendering", totalRows: 3 }], {
    settings: settings("/o", { samplesPerNode: 4 }),
    command: ["/bin/videoword"],
    cwd: "/",
  });
  const text = formatDryRun(jobs);
  assert.equal(text.match(/ {2}task 0: rows 0-2 \(3\)/g)?.length, 1, text);
});

Deno.test("dry-run text formatting", () => {
  const jobs = planJobs([{ dataset: "gsm8k", task: "rendering", totalRows: 10 }], {
    settings: settings("/o", { samplesPerNode: 4 }),
    command: ["/bin/videoword"],
    cwd: "/",
  });
  const text = formatDryRun(jobs);
  assert.match(text, /array 0-2 \(3 tasks\), 4 rows per task, 10 rows in total\n/);
  assert.match(
    text,
    /task 0: rows 0-3 \(4\)\n {2}task 2: rows 8-9 \(2\)\n {2}script:\n {4}#!\/bin\/bash/,
  );
});

Deno.test("status: shard progress from the output folder", async () => {
  await withTempDir(async (base) => {
    const dir = join(base, "gsm8k");
    await Deno.mkdir(join(dir, "video"), { recursive: true });
    for (let i = 0; i < 13; i++) {
      await Deno.writeTextFile(join(dir, "video", `gsm8k_${String(i).padStart(6, "0")}.mp4`), "x");
    }
    const lines = (n: number) => "{}\n".repeat(n);
    await Deno.writeTextFile(join(dir, "gsm8k_inference_video_data_0.jsonl"), lines(10));
    await Deno.writeTextFile(join(dir, "gsm8k_rendering_video_data_0.jsonl"), lines(10));
    await Deno.writeTextFile(join(dir, "gsm8k_inference_video_data_10.jsonl"), lines(2));
    await Deno.writeTextFile(join(dir, "gsm8k_stats_0.json"), "{}");
    await Deno.mkdir(join(base, "logs"));
    const shards = await shardProgress(base);
    assert.deepEqual(shards, [
      {
        folder: "gsm8k",
        start: 0,
        lines: { inference: 10, rendering: 10 },
        videos: 10,
        done: true,
        rendering: false,
      },
      {
        folder: "gsm8k",
        start: 10,
        lines: { inference: 2 },
        videos: 3,
        done: false,
        rendering: false,
      },
    ]);
    const text = formatStatus([], shards);
    assert.match(text, /no vwd_\* jobs in the queue/);
    assert.match(text, /gsm8k 0: 10 videos, inference 10, rendering 10, done/);
    assert.match(text, /gsm8k 10: 3 videos, inference 2\n?$/);
  });
});
