/**
 * `videoword render` killed with SIGKILL mid-run and started again: no partial video under a final
 * name, finished videos kept, stale temp files removed, and the result equal to an uninterrupted
 * run.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  decodeGrayFrames,
  listNames,
  probeVideo,
  runVideoword,
  sameFrame,
  videowordCommand,
  walkFiles,
  withTempDir,
} from "./helpers/video.ts";

const FRAMES = 193;
const ROWS = 24;
const MP4 = /^gsm8k_\d{6}\.mp4$/;

function renderArgs(base: string): string[] {
  return [
    "render",
    "gsm8k",
    "--source",
    "samples",
    "--num-samples",
    String(ROWS),
    "--num-workers",
    "2",
    "--base-dir",
    base,
    "--no-progress",
  ];
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Child process ids of `pid` (Linux /proc), e.g. the ffmpeg encoders of a render. */
async function childPids(pid: number): Promise<number[]> {
  const pids: number[] = [];
  for await (const task of Deno.readDir(`/proc/${pid}/task`)) {
    const text = await Deno.readTextFile(`/proc/${pid}/task/${task.name}/children`).catch(() => "");
    pids.push(...text.trim().split(/\s+/).filter((p) => p).map(Number));
  }
  return pids;
}

/** True while `pid` exists and is not a zombie. */
async function alive(pid: number): Promise<boolean> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/**
 * Start a render, wait for `atLeast` finished videos, then SIGKILL it together with its ffmpeg
 * encoders (as a job scheduler would), and wait until they are gone.
 */
async function renderAndKill(base: string, atLeast: number): Promise<void> {
  const child = videowordCommand(renderArgs(base), { cwd: base, stdout: "null", stderr: "null" })
    .spawn();
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const videoDir = join(base, "gsm8k/video");
  while (!exited && (await listNames(videoDir, MP4)).length < atLeast) await delay(20);
  assert.ok(!exited, "the render finished before it could be killed");
  // Freeze it first so it spawns no new encoder between listing its children and the kill.
  Deno.kill(child.pid, "SIGSTOP");
  const encoders = [];
  for (const pid of await childPids(child.pid)) {
    const comm = await Deno.readTextFile(`/proc/${pid}/comm`).catch(() => "");
    if (comm.trim() === "ffmpeg") encoders.push(pid);
  }
  Deno.kill(child.pid, "SIGKILL");
  for (const pid of encoders) {
    try {
      Deno.kill(pid, "SIGKILL");
    } catch {
      // Already exited.
    }
  }
  const killed = await status;
  assert.equal(killed.signal, "SIGKILL");
  for (const pid of encoders) {
    for (let i = 0; i < 500 && await alive(pid); i++) await delay(10);
  }
}

Deno.test("render resumes after SIGKILL: keeps finished videos, ends equal to a clean run", async () => {
  await withTempDir(async (base) => {
    const killed = join(base, "killed");
    const clean = join(base, "clean");
    await Deno.mkdir(killed);
    await Deno.mkdir(clean);
    const videoDir = join(killed, "gsm8k/video");

    await renderAndKill(killed, 4);
    const survivors = await listNames(videoDir, MP4);
    assert.ok(survivors.length >= 4 && survivors.length < ROWS, `${survivors.length} videos`);
    // Everything under a final name is a complete video; unfinished work is only in temps.
    const mtimes = new Map<string, number>();
    for (const name of survivors) {
      const path = join(videoDir, name);
      assert.equal((await probeVideo(path)).nb_frames, FRAMES, `${name} is partial`);
      assert.equal((await decodeGrayFrames(path)).length, FRAMES);
      mtimes.set(name, (await Deno.stat(path)).mtime!.getTime());
    }
    const afterKill = await walkFiles(killed);
    assert.deepEqual(
      afterKill.filter((f) => f.endsWith(".jsonl") || f.endsWith(".json")),
      [],
      "a killed run publishes no manifest or stats",
    );
    // A stale temp of an earlier crash, inside this shard's rows.
    const stale = join(videoDir, ".gsm8k_000020.mp4.4242.0.tmp");
    await Deno.writeFile(stale, new Uint8Array(1000));

    const resumed = await runVideoword(renderArgs(killed), { cwd: killed });
    assert.equal(resumed.code, 0, resumed.stderr);
    const stats = JSON.parse(await Deno.readTextFile(join(killed, "gsm8k/gsm8k_stats_0.json")));
    assert.equal(stats.rows, ROWS);
    assert.equal(stats.reused, survivors.length);
    assert.equal(stats.rendered, ROWS - survivors.length);
    assert.equal(stats.failed, 0);
    for (const [name, mtime] of mtimes) {
      assert.equal((await Deno.stat(join(videoDir, name))).mtime!.getTime(), mtime, `${name}`);
    }
    const videoTemps = (await walkFiles(videoDir)).filter((f) => f.endsWith(".tmp"));
    assert.deepEqual(videoTemps, [], "stale video temp files are removed on resume");

    const fresh = await runVideoword(renderArgs(clean), { cwd: clean });
    assert.equal(fresh.code, 0, fresh.stderr);
    const names = await listNames(join(clean, "gsm8k/video"), MP4);
    assert.equal(names.length, ROWS);
    assert.deepEqual(await listNames(videoDir, MP4), names);
    for (const name of names) {
      const a = await Deno.readFile(join(videoDir, name));
      const b = await Deno.readFile(join(clean, "gsm8k/video", name));
      assert.ok(sameFrame(a, b), `${name} differs from the uninterrupted run`);
    }
    for (const mode of ["inference", "rendering"]) {
      const file = `gsm8k/gsm8k_${mode}_video_data_0.jsonl`;
      const a = await Deno.readTextFile(join(killed, file));
      const b = await Deno.readTextFile(join(clean, file));
      assert.equal(a.split("\n").filter((l) => l).length, ROWS);
      assert.equal(a.replaceAll(killed, clean), b);
    }
    // The killed run's unfinished manifest temps (BASE/DATASET/.NAME.jsonl.PID.N.tmp) must not
    // pile up either: every re-run of a killed shard would otherwise leave two more.
    const leftovers = (await walkFiles(killed)).filter((f) => f.endsWith(".tmp"));
    assert.deepEqual(leftovers, [], "stale manifest temp files are removed on resume");
  });
});
