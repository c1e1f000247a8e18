/**
 * Faults of long runs (issue 11): encoders that exit 0 with garbage or a cut file, a full disk,
 * two runs of one shard, hung encoders and signals, impossible layouts, enormous words, exit
 * codes and manifest keys. Stand-in ffmpeg scripts reproduce what ffmpeg 5.1 does on a full disk
 * (exit 0 after `Error writing trailer ... No space left on device`); a small tmpfs does it for
 * real where this process may mount one.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { encodeFrames, ENCODER_DEFAULTS, mp4Problem } from "../src/encode/mod.ts";
import { type RevealUnit } from "../src/text/mod.ts";
import { layoutProblem, monospaceMeasure, revealPlan, splitOversized } from "../src/layout/mod.ts";
import {
  probeVideo,
  readJsonl,
  runVideoword,
  standIn,
  videowordCommand,
  walkFiles,
  withTempDir,
} from "./helpers/video.ts";

const SAMPLES = ["--source", "samples", "--no-progress"];

function processAlive(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return !/^\d+ \(.*\) Z/.test(stat); // a zombie is dead
  } catch {
    return false;
  }
}

async function videosIn(base: string): Promise<string[]> {
  return (await walkFiles(base)).filter((f) => f.endsWith(".mp4"));
}

async function tempsIn(base: string): Promise<string[]> {
  return (await walkFiles(base)).filter((f) => f.endsWith(".tmp") || f.endsWith(".lock"));
}

Deno.test("an encoder that writes garbage and exits 0: failed with its reason, nothing kept, exit 1", async () => {
  await withTempDir(async (dir) => {
    const garbage = await standIn(dir, "garbage", 'cat > /dev/null; echo "not an mp4" > "$OUT"');
    const base = join(dir, "out");
    const result = await runVideoword(
      [
        "render",
        "gsm8k",
        ...SAMPLES,
        "--num-samples",
        "2",
        "--base-dir",
        base,
        "--encoder",
        "x264",
        "--ffmpeg",
        garbage,
      ],
      { cwd: dir },
    );
    // Every sample failed: the run fails, with one line saying so.
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /row 0: failed: .*exited 0 but wrote an incomplete MP4: /);
    assert.match(result.stderr, /^videoword: gsm8k: every video failed \(2\); first: row 0: /m);
    const stats = JSON.parse(await Deno.readTextFile(join(base, "gsm8k/gsm8k_stats_0.json")));
    assert.equal(stats.failed, 2);
    assert.equal(stats.rendered, 0);
    assert.deepEqual(await videosIn(base), []);
    assert.deepEqual(await tempsIn(base), []);
  });
});

Deno.test("some videos failing is exit 1 with the counts (0 only when none failed, #17)", async () => {
  await withTempDir(async (dir) => {
    const some = await standIn(
      dir,
      "some",
      'case "$OUT" in *_000001.mp4@*) cat > /dev/null; echo junk > "$OUT"; exit 0;; esac\n' +
        'exec ffmpeg "$@"',
    );
    const base = join(dir, "out");
    const result = await runVideoword(
      [
        "render",
        "gsm8k",
        ...SAMPLES,
        "--num-samples",
        "3",
        "--base-dir",
        base,
        "--encoder",
        "x264",
        "--ffmpeg",
        some,
      ],
      { cwd: dir },
    );
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /2 rendered, 0 kept from an earlier run, 0 skipped, 1 failed/);
    assert.match(result.stderr, /^videoword: gsm8k: 1 videos failed \(first: row 1: /m);
    assert.deepEqual(await videosIn(base), [
      "gsm8k/video/gsm8k_000000.mp4",
      "gsm8k/video/gsm8k_000002.mp4",
    ]);
  });
});

Deno.test("ffmpeg's exit 0 on a full disk: the run stops with one line, manifests stay consistent", async () => {
  await withTempDir(async (dir) => {
    // What ffmpeg 5.1 does when the disk fills at the trailer: a file without moov, exit 0.
    const full = await standIn(
      dir,
      "full",
      'ffmpeg "$@" || exit $?\n' +
        'head -c 2000 "$OUT" > "$OUT.cut" && mv "$OUT.cut" "$OUT"\n' +
        'echo "[mp4 @ 0x55] Error writing trailer of $OUT: No space left on device" >&2\n' +
        "exit 0",
    );
    const base = join(dir, "out");
    // A complete earlier run of the shard: its manifests must survive the failed one.
    const first = await runVideoword(
      ["render", "gsm8k", ...SAMPLES, "--num-samples", "2", "--base-dir", base],
      { cwd: dir },
    );
    assert.equal(first.code, 0, first.stderr);
    const manifest = join(base, "gsm8k/gsm8k_inference_video_data_0.jsonl");
    const before = await Deno.readTextFile(manifest);
    const result = await runVideoword(
      [
        "render",
        "gsm8k",
        ...SAMPLES,
        "--num-samples",
        "4",
        "--base-dir",
        base,
        "--encoder",
        "x264",
        "--ffmpeg",
        full,
      ],
      { cwd: dir },
    );
    assert.equal(result.code, 1);
    const lines = result.stderr.trim().split("\n");
    assert.equal(lines.length, 1, result.stderr);
    assert.match(
      lines[0],
      new RegExp(`^videoword: disk full: no space left on the disk holding ${base}/gsm8k/video;`),
    );
    assert.equal(await Deno.readTextFile(manifest), before);
    for (const video of await videosIn(base)) {
      assert.equal(await mp4Problem(join(base, video)), null, video);
    }
    assert.deepEqual(await videosIn(base), [
      "gsm8k/video/gsm8k_000000.mp4",
      "gsm8k/video/gsm8k_000001.mp4",
    ]);
    assert.deepEqual(await tempsIn(base), []);
  });
});

Deno.test("a truly full disk (600 KB tmpfs): stop with one line, every video kept is whole", async (t) => {
  await withTempDir(async (dir) => {
    const mnt = join(dir, "small");
    await Deno.mkdir(mnt);
    const mount = await new Deno.Command("mount", {
      args: ["-t", "tmpfs", "-o", "size=600k", "tmpfs", mnt],
      stdout: "null",
      stderr: "null",
    }).output().catch(() => ({ success: false }));
    if (!mount.success) {
      await t.step({ name: "tmpfs mount not permitted here: skipped", ignore: true, fn() {} });
      return;
    }
    try {
      const args = ["render", "gsm8k", ...SAMPLES, "--num-samples", "24", "--base-dir", mnt];
      const result = await runVideoword(args, { cwd: dir });
      assert.equal(result.code, 1, result.stdout);
      assert.match(
        result.stderr.trim().split("\n").at(-1)!,
        /disk full: no space left on the disk holding /,
      );
      const kept = await videosIn(mnt);
      assert.ok(kept.length > 0 && kept.length < 24, `${kept.length} videos`);
      for (const video of kept) assert.equal(await mp4Problem(join(mnt, video)), null, video);
      assert.deepEqual(await tempsIn(mnt), []);
      // No manifest claims a video that is not there.
      for (const f of (await walkFiles(mnt)).filter((f) => f.endsWith(".jsonl"))) {
        for (const line of await readJsonl(join(mnt, f))) {
          assert.equal(await mp4Problem(String(line.video_path)), null);
        }
      }
    } finally {
      await new Deno.Command("umount", { args: [mnt] }).output();
    }
  });
});

Deno.test("resume re-renders a video cut short under its final name", async () => {
  await withTempDir(async (base) => {
    const args = ["render", "gsm8k", ...SAMPLES, "--num-samples", "2", "--base-dir", base];
    assert.equal((await runVideoword(args, { cwd: base })).code, 0);
    const video = join(base, "gsm8k/video/gsm8k_000001.mp4");
    const whole = await Deno.readFile(video);
    await Deno.writeFile(video, whole.subarray(0, whole.length - 500)); // the old disk-full bug
    const again = await runVideoword(args, { cwd: base });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /1 rendered, 1 kept from an earlier run/);
    assert.deepEqual(await Deno.readFile(video), whole);
  });
});

Deno.test("two runs of one shard at once: the second stops with one line; output equals a clean run", async () => {
  await withTempDir(async (dir) => {
    const slow = await standIn(dir, "slow", 'sleep 1\nexec ffmpeg "$@"');
    const overlapped = join(dir, "overlapped");
    const clean = join(dir, "clean");
    const args = (base: string) => [
      "render",
      "gsm8k",
      ...SAMPLES,
      "--num-samples",
      "3",
      "--num-workers",
      "1",
      "--base-dir",
      base,
      // The stand-in slows ffmpeg down, so both runs use the x264 path.
      "--encoder",
      "x264",
    ];
    const first = videowordCommand([
      ...args(overlapped),
      "--encoder",
      "x264",
      "--ffmpeg",
      slow,
    ], { cwd: dir }).spawn();
    const lock = join(overlapped, "gsm8k", ".gsm8k_silent_0.lock");
    for (let i = 0; i < 600; i++) {
      if (await Deno.stat(lock).catch(() => null)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const second = await runVideoword(args(overlapped), { cwd: dir });
    const firstOut = await first.output();
    assert.equal(firstOut.code, 0, new TextDecoder().decode(firstOut.stderr));
    assert.equal(second.code, 1);
    assert.equal(second.stderr.trim().split("\n").length, 1, second.stderr);
    assert.match(
      second.stderr,
      new RegExp(`shard already being rendered by pid ${first.pid} on ${Deno.hostname()}`),
    );
    // A lock whose process is gone (kill -9) is taken over.
    await Deno.writeTextFile(lock, `999999 ${Deno.hostname()}\n`);
    const resumed = await runVideoword(args(overlapped), { cwd: dir });
    assert.equal(resumed.code, 0, resumed.stderr);

    assert.equal((await runVideoword(args(clean), { cwd: dir })).code, 0);
    assert.deepEqual(await walkFiles(overlapped), await walkFiles(clean));
    for (const file of await walkFiles(clean)) {
      if (file.endsWith("stats_0.json")) continue; // timings differ
      const a = (await Deno.readTextFile(join(overlapped, file))).replaceAll(overlapped, "B");
      const b = (await Deno.readTextFile(join(clean, file))).replaceAll(clean, "B");
      assert.ok(a === b, `${file} differs`);
    }
  });
});

Deno.test("a hung encoder is killed at its timeout; the temp file is removed", async () => {
  await withTempDir(async (dir) => {
    const pids = join(dir, "pids");
    const hang = await standIn(dir, "hang", `echo $$ >> "${pids}"\nexec sleep 300`);
    const out = join(dir, "x.mp4");
    const frame = new Uint8Array(64 * 64);
    await assert.rejects(
      encodeFrames([frame, frame], out, {
        ...ENCODER_DEFAULTS,
        crf: 23,
        width: 64,
        height: 64,
        pixelFormat: "gray",
        fps: 10,
        ffmpegBin: hang,
        timeoutMs: 500,
      }),
      /timed out after 0\.5 s and was killed/,
    );
    const pid = Number((await Deno.readTextFile(pids)).trim());
    assert.ok(!processAlive(pid), `encoder ${pid} still running`);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["hang", "pids"]);
  });
});

Deno.test("SIGTERM and SIGINT stop the run and kill its encoders", async () => {
  for (const [signal, code] of [["SIGTERM", 143], ["SIGINT", 130]] as const) {
    await withTempDir(async (dir) => {
      const pids = join(dir, "pids");
      const hang = await standIn(dir, "hang", `echo $$ >> "${pids}"\nexec sleep 300`);
      const child = videowordCommand([
        ...["render", "gsm8k", ...SAMPLES, "--num-samples", "4", "--num-workers", "2"],
        ...["--base-dir", join(dir, "out"), "--encoder", "x264", "--ffmpeg", hang],
      ], { cwd: dir, stdout: "null" }).spawn();
      let started: number[] = [];
      for (let i = 0; i < 600 && started.length < 2; i++) {
        await new Promise((r) => setTimeout(r, 50));
        const text = await Deno.readTextFile(pids).catch(() => "");
        started = text.split("\n").filter(Boolean).map(Number);
      }
      assert.equal(started.length, 2, "two encoders running");
      child.kill(signal);
      const status = await child.status;
      const stderr = new TextDecoder().decode(
        await new Response(child.stderr).arrayBuffer().catch(() => new ArrayBuffer(0)),
      );
      assert.equal(status.code, code, stderr);
      for (const pid of started) assert.ok(!processAlive(pid), `${signal}: encoder ${pid} alive`);
      assert.deepEqual(await videosIn(join(dir, "out")), []);
    });
  }
});

Deno.test("impossible layouts fail at once: one line, exit 2, no videos", async () => {
  await withTempDir(async (base) => {
    const cases: [string[], RegExp][] = [
      [
        ["--margin", "170"],
        /^videoword: --font-size 28 does not fit the 300x20 text area .*--margin 170/,
      ],
      [["--margin", "150"], /^videoword: no line fits: .*--margin 150 of a 640x360 frame is 60 px/],
      // Margins and fonts scale with the height (presets): whichever rule trips, one line.
      [["--height", "10"], /^videoword: .* of a 640x10 frame/],
      [["--margin", "400"], /^videoword: --margin 400 leaves no room for text/],
      [["--font-size", "500"], /^videoword: --font-size 500 does not fit the 610x330 text area/],
    ];
    for (const [flags, message] of cases) {
      const result = await runVideoword(
        ["render", "gsm8k", ...SAMPLES, "--num-samples", "2", "--base-dir", base, ...flags],
        { cwd: base },
      );
      assert.equal(result.code, 2, `${flags}: ${result.stderr}`);
      const lines = result.stderr.trim().split("\n");
      assert.equal(lines.length, 1, result.stderr);
      assert.match(lines[0], message);
    }
    assert.deepEqual((await walkFiles(base)).filter((f) => f.endsWith(".mp4")), []);
    assert.equal(layoutProblem({}), null);
    assert.equal(layoutProblem({ fontSize: 24, lineHeight: 30, margin: 10, width: 480 }), null);
  });
});

Deno.test("a plan never loops or overruns its frames, whatever geometry it is given", () => {
  const words = Array.from({ length: 40 }, (_, i) => `word${i}`).join(" ");
  // Rejected up front by layoutProblem, but a plan must still end.
  const tiny = revealPlan([words], ["An answer."], { height: 60, margin: 15 });
  assert.deepEqual(tiny, { skip: "prompt too long" });
  const plan = revealPlan(["Question?"], [`x${"y".repeat(5000)}`], { kind: "story" });
  assert.ok(!("skip" in plan) || /too long/.test(plan.skip));
  if (!("skip" in plan)) assert.equal(plan.frames.length, 193);
});

Deno.test("a word wider than a line breaks at grapheme boundaries only", () => {
  const word = "q\u0301".repeat(40) + "\u{1F468}\u200D\u{1F469}\u200D\u{1F467}" + "z".repeat(40);
  const unit: RevealUnit = { text: word, spaceBefore: true };
  const pieces = splitOversized(unit, { maxWidth: 200, fontSize: 20, measure: monospaceMeasure });
  assert.ok(pieces.length > 1);
  assert.equal(pieces.map((p) => p.text).join(""), word);
  for (const piece of pieces) {
    assert.ok(!/^[\u0301\u200D]/u.test(piece.text), `piece starts mid-grapheme: ${piece.text}`);
    assert.ok(!/\u200D$/u.test(piece.text), `piece ends mid-grapheme: ${piece.text}`);
  }
  assert.equal(pieces[0].spaceBefore, true);
  assert.ok(pieces.slice(1).every((p) => !p.spaceBefore));
});

Deno.test("an enormous word: skipped over --max-text-chars, otherwise broken with the frames asked for", async () => {
  await withTempDir(async (base) => {
    const input = join(base, "rows.jsonl");
    const huge = "a".repeat(200_000);
    const wide = "b".repeat(90);
    await Deno.writeTextFile(
      input,
      [
        { question: `How long is this word? ${huge}`, answer: "It is long.\n#### 1" },
        { question: "How many letters does this word have?", answer: `${wide} has 90.\n#### 90` },
        { question: "What is two plus two, in words?", answer: "Two plus two is four.\n#### 4" },
      ].map((row) => JSON.stringify(row)).join("\n") + "\n",
    );
    const result = await runVideoword(
      ["render", "gsm8k", "--input", input, "--base-dir", base, "--no-progress"],
      { cwd: base },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      /row 0: skipped: text too long: about 200\d+ characters > --max-text-chars 20000/,
    );
    const rows = await readJsonl(join(base, "gsm8k/gsm8k_inference_video_data_0.jsonl"));
    assert.deepEqual(rows.map((r) => r.index), [1, 2]);
    assert.match(String(rows[0].response_text), new RegExp(`^${wide} has 90\\.`));
    for (const row of rows) {
      assert.equal(row.frames, 193);
      assert.equal((await probeVideo(String(row.video_path))).nb_frames, 193);
    }
    // The cap is configurable.
    const small = await runVideoword(
      ["render", "gsm8k", "--input", input, "--base-dir", join(base, "b"), "--no-progress"]
        .concat(["--max-text-chars", "60", "--num-samples", "3"]),
      { cwd: base },
    );
    // Every row skipped: nothing produced, so not a success (#17).
    assert.equal(small.code, 1, small.stderr);
    assert.match(small.stderr, /row 1: skipped: text too long: .*--max-text-chars 60/);
    assert.match(small.stderr, /no video rendered or kept: all 3 rows were skipped/);
  });
});

Deno.test("rows in scripts neither font has are skipped, not drawn as boxes", async () => {
  await withTempDir(async (base) => {
    const input = join(base, "rows.jsonl");
    await Deno.writeTextFile(
      input,
      [
        { question: "How do you greet someone, नमस्ते?", answer: "You say hello.\n#### 1" },
        { question: "How do you greet someone, สวัสดี?", answer: "You say hello.\n#### 1" },
        { question: "How do you greet someone, ሰላም?", answer: "You say hello.\n#### 1" },
        { question: "How many apples are there in all?", answer: "There are 3.\n#### 3" },
      ].map((row) => JSON.stringify(row)).join("\n") + "\n",
    );
    const result = await runVideoword(
      ["render", "gsm8k", "--input", input, "--base-dir", base, "--no-progress"],
      { cwd: base },
    );
    assert.equal(result.code, 0, result.stderr);
    const stats = JSON.parse(await Deno.readTextFile(join(base, "gsm8k/gsm8k_stats_0.json")));
    assert.equal(stats.rendered, 1);
    assert.deepEqual(stats.skipped_by_reason, { "no glyph in the video fonts": 3 });
    assert.match(result.stderr, /row 0: skipped: no glyph in the video fonts: U\+0928 'न'/);
  });
});

Deno.test("every line of a manifest kind has the same keys, truncated included", async () => {
  await withTempDir(async (base) => {
    const result = await runVideoword(
      ["render", "tinystories", ...SAMPLES, "--num-samples", "8", "--frames", "130"]
        .concat(["--base-dir", base]),
      { cwd: base },
    );
    assert.equal(result.code, 0, result.stderr);
    for (const mode of ["inference", "rendering"]) {
      const rows = await readJsonl(
        join(base, `tinystories/tinystories_${mode}_video_data_0.jsonl`),
      );
      assert.ok(rows.some((r) => r.truncated === true), "some stories are cut");
      assert.ok(rows.some((r) => r.truncated === false), "some are whole");
      const keys = JSON.stringify(Object.keys(rows[0]));
      for (const row of rows) assert.equal(JSON.stringify(Object.keys(row)), keys);
    }
  });
});
