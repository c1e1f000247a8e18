/**
 * End to end on a real (one-node) Slurm: submit an array job over gsm8k's embedded samples, wait,
 * and check every row was rendered exactly once; then kill-and-resubmit one shard.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { getDataset, readSamples, sampleFiles } from "../src/datasets/mod.ts";
import { verifyDataset } from "../src/verify/mod.ts";
import { slurmUp } from "../tasks/slurm_up.ts";
import { slurmDown } from "../tasks/slurm_down.ts";
import { runVideoword } from "./helpers/video.ts";

function onPath(bin: string): boolean {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      if (Deno.statSync(join(dir, bin)).isFile) return true;
    } catch {
      // not here
    }
  }
  return false;
}

const HAVE_SLURM = onPath("sinfo");
if (!HAVE_SLURM) {
  console.log("slurm_real_test: skipped, `sinfo` is not on PATH (apt-get install slurm-wlm)");
}

async function run(bin: string, args: string[], cwd?: string) {
  const out = await new Deno.Command(bin, { args, cwd, stdout: "piped", stderr: "piped" }).output();
  const d = new TextDecoder();
  return { code: out.code, out: d.decode(out.stdout), err: d.decode(out.stderr) };
}

async function videoword(args: string[], cwd: string) {
  const result = await runVideoword(args, { cwd });
  return { code: result.code, out: result.stdout, err: result.stderr };
}

async function waitForJobs(ids: string[], timeoutMs = 240_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const q = await run("squeue", ["-h", "-j", ids.join(","), "-o", "%i %T"]);
    const active = q.out.split("\n").filter((l) =>
      /PENDING|RUNNING|CONFIGURING|COMPLETING/.test(l)
    );
    if (active.length === 0) return;
    await new Promise((r) => setTimeout(r, 2000));
  }
  throw new Error(`jobs ${ids.join(",")} still queued after ${timeoutMs / 1000} s`);
}

function readIndices(text: string): number[] {
  return text.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l).index);
}

Deno.test({
  name: "slurm: real array job renders every sample row exactly once, and a shard resumes",
  ignore: !HAVE_SLURM,
  async fn() {
    const wasIdle = (await run("sinfo", ["-h", "-o", "%t"])).out.includes("idle");
    await slurmUp({ log: false });
    const base = await Deno.makeTempDir({ prefix: "vw_slurm_" });
    try {
      const spec = getDataset("gsm8k");
      const expected: number[] = [];
      let rows = 0;
      for await (const item of readSamples(spec, sampleFiles(spec))) {
        rows++;
        if ("sample" in item) expected.push(item.index);
      }
      const perTask = Math.ceil(rows / 4); // ≥ 3 array tasks
      const submit = await videoword([
        "submit",
        "gsm8k",
        "both",
        "--total-rows",
        String(rows),
        "--samples-per-node",
        String(perTask),
        "--cpus-per-task",
        "1",
        "--time",
        "00:10:00",
        "--base-dir",
        base,
        "--json",
        "--",
        "--source",
        "samples",
      ], base);
      assert.equal(submit.code, 0, submit.err);
      const { jobs } = JSON.parse(submit.out);
      assert.equal(jobs.length, 1);
      const job = jobs[0];
      assert.ok(job.array_size >= 3);
      await waitForJobs([job.job_id]);

      // Every array task ran and left its logs.
      const logs = join(base, "logs");
      for (let id = 0; id < job.array_size; id++) {
        const out = await Deno.readTextFile(join(logs, `vwd_gsm8k_both_${job.job_id}_${id}.out`));
        const task = job.tasks[id];
        assert.match(
          out,
          new RegExp(`rows ${task.start_idx}\\.\\.${task.start_idx + task.num_samples - 1}`),
        );
      }
      // Both manifests complete: every row once, in the shard of its task.
      const dir = join(base, "gsm8k");
      for (const mode of ["inference", "rendering"]) {
        const all: number[] = [];
        for (const task of job.tasks) {
          const text = await Deno.readTextFile(
            join(dir, `gsm8k_${mode}_video_data_${task.start_idx}.jsonl`),
          );
          const indices = readIndices(text);
          assert.ok(
            indices.every((i) => i >= task.start_idx && i < task.start_idx + task.num_samples),
          );
          all.push(...indices);
        }
        assert.deepEqual(all.sort((a, b) => a - b), expected, `${mode} manifest rows`);
      }
      const report = await verifyDataset(dir);
      assert.deepEqual(report.findings, []);
      assert.equal(report.videosChecked, expected.length);

      // --status sees the finished shards on disk.
      const status = await videoword(["submit", "--status", "--base-dir", base, "--json"], base);
      assert.equal(status.code, 0, status.err);
      const shards = JSON.parse(status.out).shards;
      assert.equal(shards.length, job.array_size);

      // A killed task: its shard lost its last videos, its stats and the tail of its manifests.
      const victim = job.tasks[1];
      const keep = [victim.start_idx, victim.start_idx + 1];
      const video = (i: number) => join(dir, "video", `gsm8k_${String(i).padStart(6, "0")}.mp4`);
      const kept = await Promise.all(
        keep.map(async (i) => (await Deno.stat(video(i))).mtime?.getTime()),
      );
      for (let i = victim.start_idx + 2; i < victim.start_idx + victim.num_samples; i++) {
        await Deno.remove(video(i));
      }
      await Deno.remove(join(dir, `gsm8k_stats_${victim.start_idx}.json`)).catch(() => {});
      for (const mode of ["inference", "rendering"]) {
        const path = join(dir, `gsm8k_${mode}_video_data_${victim.start_idx}.jsonl`);
        const lines = (await Deno.readTextFile(path)).split("\n").filter((l) => l.trim());
        const head = lines.filter((l) => keep.includes(JSON.parse(l).index));
        await Deno.writeTextFile(path, head.map((l) => `${l}\n`).join(""));
      }
      // Re-submit just that array task with the saved script.
      const again = await run("sbatch", [
        "--parsable",
        `--array=${victim.id}`,
        join(logs, `vwd_gsm8k_both_${job.job_id}.sbatch`),
      ]);
      assert.equal(again.code, 0, again.err);
      await waitForJobs([again.out.trim()]);
      for (const mode of ["inference", "rendering"]) {
        const path = join(dir, `gsm8k_${mode}_video_data_${victim.start_idx}.jsonl`);
        const indices = readIndices(await Deno.readTextFile(path)).sort((a, b) => a - b);
        const want = expected.filter((i) =>
          i >= victim.start_idx && i < victim.start_idx + victim.num_samples
        );
        assert.deepEqual(indices, want, `${mode} shard ${victim.start_idx} after resume`);
      }
      const after = await Promise.all(
        keep.map(async (i) => (await Deno.stat(video(i))).mtime?.getTime()),
      );
      assert.deepEqual(after, kept, "finished videos were kept, not re-rendered");
      assert.deepEqual((await verifyDataset(dir)).findings, []);

      // --cancel cancels only vwd_* jobs.
      const held = await run("sbatch", [
        "--parsable",
        "--hold",
        "--job-name=vwd_cancel_probe",
        "--output=/dev/null",
        "--wrap",
        "true",
      ]);
      const other = await run("sbatch", [
        "--parsable",
        "--hold",
        "--job-name=other_probe",
        "--output=/dev/null",
        "--wrap",
        "true",
      ]);
      const heldId = held.out.trim();
      const otherId = other.out.trim();
      try {
        const cancel = await videoword(["submit", "--cancel"], base);
        assert.equal(cancel.code, 0, cancel.err);
        assert.match(cancel.out, new RegExp(`cancelled jobs .*\\b${heldId}\\b`));
        const q = await run("squeue", ["-h", "-j", `${heldId},${otherId}`, "-o", "%i %T"]);
        assert.match(q.out, new RegExp(`^${otherId} PENDING`, "m"));
        assert.doesNotMatch(q.out, new RegExp(`^${heldId} PENDING`, "m"));
      } finally {
        await run("scancel", [otherId, heldId]);
      }
    } finally {
      await Deno.remove(base, { recursive: true });
      if (!wasIdle) await slurmDown();
    }
  },
});
