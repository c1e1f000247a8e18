import assert from "node:assert/strict";
import { join } from "node:path";
import { runVideoword, withTempDir } from "./helpers/video.ts";
import { verifyDataset } from "../src/verify/mod.ts";

async function ffmpeg(args: string[]): Promise<void> {
  const out = await new Deno.Command("ffmpeg", {
    args: ["-hide_banner", "-loglevel", "error", "-y", ...args],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
}

/** 160×90, 10 fps H.264 test clips: 20 frames (2 s), optionally with faststart or audio. */
async function makeClips(dir: string): Promise<Record<string, string>> {
  const src = ["-f", "lavfi", "-i", "testsrc=size=160x90:rate=10"];
  const enc = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"];
  const clips = {
    good: join(dir, "good.mp4"),
    fast: join(dir, "fast.mp4"),
    short: join(dir, "short.mp4"),
    audio: join(dir, "audio.mp4"),
  };
  await Promise.all([
    ffmpeg([...src, "-frames:v", "20", ...enc, clips.good]),
    ffmpeg([...src, "-frames:v", "20", ...enc, "-movflags", "+faststart", clips.fast]),
    ffmpeg([...src, "-frames:v", "15", ...enc, clips.short]),
    ffmpeg([
      ...src,
      "-f",
      "lavfi",
      "-i",
      "sine=frequency=440:sample_rate=24000",
      "-frames:v",
      "20",
      ...enc,
      "-c:a",
      "aac",
      "-t",
      "2",
      clips.audio,
    ]),
  ]);
  return clips;
}

function line(dir: string, dataset: string, index: number, extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    video_path: join(dir, "video", `${dataset}_${String(index).padStart(6, "0")}.mp4`),
    prompt: `prompt ${index}`,
    dataset,
    index,
    prompt_text: `p${index}`,
    response_text: `r${index}`,
    frames: 20,
    fps: 10,
    width: 160,
    height: 90,
    duration: 2,
    ...extra,
  });
}

function readJsonl(text: string): Array<Record<string, unknown>> {
  return text.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
}

async function truncate(path: string, keep: number): Promise<void> {
  const bytes = await Deno.readFile(path);
  await Deno.writeFile(path, bytes.slice(0, Math.floor(bytes.length * keep)));
}

/**
 * gsm8k: shard 0 lists rows 0-4, shard 5 lists rows 7, 5, 6, 8 (out of order) and row 4 again.
 * Damage: row 1 truncated (moov lost), row 2 truncated faststart (packets lost), row 3 missing,
 * row 6 has 15 frames where the manifest says 20, row 8 empty file, a bad JSON line,
 * orphans 9 (good) and 10 (garbage).
 */
async function plantDamage(base: string, clips: Record<string, string>): Promise<string> {
  const dir = join(base, "gsm8k");
  await Deno.mkdir(join(dir, "video"), { recursive: true });
  const video = (i: number) => join(dir, "video", `gsm8k_${String(i).padStart(6, "0")}.mp4`);
  for (const i of [0, 1, 4, 5, 7, 9]) await Deno.copyFile(clips.good, video(i));
  await Deno.copyFile(clips.fast, video(2));
  await Deno.copyFile(clips.short, video(6));
  await Deno.writeFile(video(8), new Uint8Array());
  await Deno.writeTextFile(video(10), "not an mp4 at all");
  await truncate(video(1), 0.5);
  await truncate(video(2), 0.6);
  for (const mode of ["inference", "rendering"]) {
    const shard0 = [0, 1, 2, 3, 4].map((i) => line(dir, "gsm8k", i, { mode }));
    const shard5 = [7, 5, 6, 8, 4].map((i) => line(dir, "gsm8k", i, { mode }));
    if (mode === "rendering") shard5.splice(2, 0, "{not json");
    await Deno.writeTextFile(
      join(dir, `gsm8k_${mode}_video_data_0.jsonl`),
      shard0.join("\n") + "\n",
    );
    await Deno.writeTextFile(
      join(dir, `gsm8k_${mode}_video_data_5.jsonl`),
      shard5.join("\n") + "\n",
    );
  }
  await Deno.writeTextFile(join(dir, "gsm8k_stats_0.json"), "{}");
  return dir;
}

async function verifyCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const run = await runVideoword(["verify", ...args]);
  return { code: run.code, out: run.stdout, err: run.stderr };
}

Deno.test("verify: finds missing, corrupt, duplicate, bad and orphaned; --fix repairs; --merge", async () => {
  await withTempDir(async (base) => {
    const clips = await makeClips(base);
    const dir = await plantDamage(base, clips);

    const report = await verifyDataset(dir, { concurrency: 4 });
    assert.equal(report.dataset, "gsm8k");
    assert.equal(report.narrated, false);
    assert.equal(report.manifests.length, 4);
    assert.equal(report.lines, 21);
    const summary = (kind: string) =>
      report.findings.filter((f) => f.kind === kind).map((f) =>
        `${f.manifest ?? ""}#${f.index ?? f.video}`
      )
        .sort();
    assert.deepEqual(summary("missing"), [
      "gsm8k_inference_video_data_0.jsonl#3",
      "gsm8k_rendering_video_data_0.jsonl#3",
    ]);
    assert.deepEqual(summary("corrupt"), [
      "gsm8k_inference_video_data_0.jsonl#1",
      "gsm8k_inference_video_data_0.jsonl#2",
      "gsm8k_inference_video_data_5.jsonl#6",
      "gsm8k_inference_video_data_5.jsonl#8",
      "gsm8k_rendering_video_data_0.jsonl#1",
      "gsm8k_rendering_video_data_0.jsonl#2",
      "gsm8k_rendering_video_data_5.jsonl#6",
      "gsm8k_rendering_video_data_5.jsonl#8",
    ]);
    assert.deepEqual(summary("duplicate"), [
      "gsm8k_inference_video_data_5.jsonl#4",
      "gsm8k_rendering_video_data_5.jsonl#4",
    ]);
    assert.deepEqual(
      report.findings.filter((f) => f.kind === "bad_line").map((f) => [f.manifest, f.line]),
      [["gsm8k_rendering_video_data_5.jsonl", 3]],
    );
    const orphans = report.findings.filter((f) => f.kind === "orphan");
    assert.deepEqual(orphans.map((f) => f.video?.slice(-10)), ["000009.mp4", "000010.mp4"]);
    assert.match(orphans[1].detail, /corrupt/);
    const frames = report.findings.find((f) => f.kind === "corrupt" && f.index === 6);
    assert.match(frames!.detail, /15 frames, manifest says 20/);
    // Only videos were probed (not the missing or empty ones): 0,1,2,4,5,6,7 + orphans 9,10.
    assert.equal(report.videosChecked, 9);

    // The CLI exits non-zero and names the problems.
    const cli = await verifyCli([dir]);
    assert.equal(cli.code, 1, cli.err);
    assert.match(
      cli.out,
      /missing 2, corrupt 8, duplicate 2, bad lines 1, outside the folder 0, orphaned 2/,
    );

    // --fix --merge: manifests lose bad lines, corrupt files go, merge is ordered and unique.
    const fixed = await verifyCli([dir, "--fix", "--merge"]);
    assert.equal(fixed.code, 0, fixed.err + fixed.out);
    for (const mode of ["inference", "rendering"]) {
      const s0 = readJsonl(await Deno.readTextFile(join(dir, `gsm8k_${mode}_video_data_0.jsonl`)));
      const s5 = readJsonl(await Deno.readTextFile(join(dir, `gsm8k_${mode}_video_data_5.jsonl`)));
      assert.deepEqual(s0.map((l) => l.index), [0, 4]);
      assert.deepEqual(s5.map((l) => l.index), [7, 5]);
      const merged = readJsonl(
        await Deno.readTextFile(join(dir, `gsm8k_${mode}_video_data.jsonl`)),
      );
      assert.deepEqual(merged.map((l) => l.index), [0, 4, 5, 7]);
      assert.ok(merged.every((l) => l.mode === mode));
    }
    const left = [...Deno.readDirSync(join(dir, "video"))].map((e) => e.name).sort();
    assert.deepEqual(left, [0, 4, 5, 7, 9].map((i) => `gsm8k_${String(i).padStart(6, "0")}.mp4`));
    const tempFiles = [...Deno.readDirSync(dir)].filter((e) => e.name.endsWith(".tmp"));
    assert.deepEqual(tempFiles, []);

    // Re-verify: only the good orphan (row 9) is left to report.
    const again = await verifyDataset(dir);
    assert.deepEqual(again.findings.map((f) => f.kind), ["orphan"]);
    assert.equal(again.lines, 8);
  });
});

Deno.test("verify: narrated folders need an audio stream; merge dedups across shards", async () => {
  await withTempDir(async (base) => {
    const clips = await makeClips(base);
    const dir = join(base, "tinystories_audio");
    await Deno.mkdir(join(dir, "video"), { recursive: true });
    const video = (i: number) =>
      join(dir, "video", `tinystories_${String(i).padStart(6, "0")}.mp4`);
    await Deno.copyFile(clips.audio, video(0));
    await Deno.copyFile(clips.audio, video(1));
    await Deno.copyFile(clips.good, video(2)); // silent: wrong for a narrated folder
    const lines = [2, 1, 0].map((i) => line(dir, "tinystories", i));
    await Deno.writeTextFile(
      join(dir, "tinystories_inference_audio_video_data_0.jsonl"),
      lines.join("\n") + "\n",
    );
    // A second shard that overlaps (row 1 again): a duplicate.
    await Deno.writeTextFile(
      join(dir, "tinystories_inference_audio_video_data_1.jsonl"),
      line(dir, "tinystories", 1) + "\n",
    );
    const report = await verifyDataset(dir, { merge: true });
    assert.equal(report.narrated, true);
    assert.deepEqual(
      report.findings.map((f) => [f.kind, f.index, f.detail]),
      [
        ["duplicate", 1, "row 1 is listed again"],
        ["corrupt", 2, "no audio stream in a narrated video"],
      ],
    );
    // Merge writes only good lines, in row order, once each.
    const merged = readJsonl(
      await Deno.readTextFile(join(dir, "tinystories_inference_audio_video_data.jsonl")),
    );
    assert.deepEqual(merged.map((l) => l.index), [0, 1]);
    // Without --fix nothing on disk changed.
    assert.ok((await Deno.stat(video(2))).size > 0);
  });
});

Deno.test("verify: a folder that does not exist is a clear error", async () => {
  await assert.rejects(() => verifyDataset("/nonexistent/gsm8k"), /is not a directory/);
  const cli = await verifyCli(["/nonexistent/gsm8k"]);
  assert.equal(cli.code, 1);
  assert.match(cli.err, /^videoword: .*is not a directory\n$/);
});

Deno.test("verify --fix never deletes files outside its folder or not named as its videos", async () => {
  await withTempDir(async (base) => {
    const clips = await makeClips(base);
    const dir = join(base, "out", "gsm8k");
    await Deno.mkdir(join(dir, "video"), { recursive: true });
    await Deno.mkdir(join(base, "elsewhere"));
    const important = join(base, "important.mp4"); // a valid MP4 outside the folder
    await Deno.copyFile(clips.good, important);
    const elsewhere = join(base, "elsewhere", "x.mp4"); // garbage, reached through ../..
    await Deno.writeTextFile(elsewhere, "precious, not a video");
    const notes = join(dir, "video", "notes.mp4"); // inside, but not one of our names
    await Deno.writeTextFile(notes, "user notes");
    const own = join(dir, "video", "gsm8k_000000.mp4");
    await Deno.copyFile(clips.good, own);
    const manifest = join(dir, "gsm8k_inference_video_data_0.jsonl");
    const stats = join(dir, "gsm8k_stats_0.json");
    await Deno.writeTextFile(stats, "{}\n");
    const lines = [
      line(dir, "gsm8k", 0),
      line(dir, "gsm8k", 1, { video_path: important }),
      line(dir, "gsm8k", 2, { video_path: "../../elsewhere/x.mp4" }),
      line(dir, "gsm8k", 3, { video_path: manifest }),
      line(dir, "gsm8k", 4, { video_path: stats }),
      line(dir, "gsm8k", 5, { video_path: join(dir, "video", "gsm8k_000000.mp4") }),
      line(dir, "gsm8k", 6, { video_path: notes }),
    ];
    await Deno.writeTextFile(manifest, lines.join("\n") + "\n");
    const before = {
      important: await Deno.readFile(important),
      elsewhere: await Deno.readFile(elsewhere),
      notes: await Deno.readFile(notes),
      stats: await Deno.readFile(stats),
    };

    const report = await verifyDataset(dir, { fix: true });
    assert.deepEqual(
      report.findings.filter((f) => f.kind === "outside").map((f) => f.index),
      [1, 2, 3, 4, 5, 6],
    );
    assert.match(report.findings.find((f) => f.index === 1)!.detail, /not inside .*video\//);
    assert.match(report.findings.find((f) => f.index === 5)!.detail, /names gsm8k_000000\.mp4/);
    // notes.mp4 is also an orphan (not ours), reported but never deleted.
    assert.ok(report.findings.some((f) => f.kind === "orphan" && f.video === notes));
    assert.equal(report.fixed.filesDeleted, 0);
    assert.equal(report.fixed.linesRemoved, 6);
    assert.deepEqual(await Deno.readFile(important), before.important);
    assert.deepEqual(await Deno.readFile(elsewhere), before.elsewhere);
    assert.deepEqual(await Deno.readFile(notes), before.notes);
    assert.deepEqual(await Deno.readFile(stats), before.stats);
    assert.ok((await Deno.stat(own)).size > 0);
    const kept = readJsonl(await Deno.readTextFile(manifest));
    assert.deepEqual(kept.map((l) => l.index), [0]);
  });
});

Deno.test("verify BASE (not BASE/DATASET) says what it expected and exits non-zero", async () => {
  await withTempDir(async (base) => {
    await Deno.mkdir(join(base, "gsm8k", "video"), { recursive: true });
    await Deno.writeTextFile(
      join(base, "gsm8k", "gsm8k_inference_video_data_0.jsonl"),
      line(join(base, "gsm8k"), "gsm8k", 0) + "\n",
    );
    const cli = await verifyCli([base]);
    assert.equal(cli.code, 1);
    assert.equal(cli.err.trim().split("\n").length, 1, cli.err);
    assert.match(cli.err, /is a base folder, not one dataset's: .*videoword verify .*gsm8k/);
    const empty = join(base, "empty");
    await Deno.mkdir(empty);
    await assert.rejects(verifyDataset(empty), /has no manifests named empty_\{inference/);
  });
});
