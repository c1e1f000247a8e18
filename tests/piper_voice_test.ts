/**
 * Piper voices end to end: `download --voice` against the loopback Hub serving the test voice at
 * its real `rhasspy/piper-voices` path (resume, sha256, manifest, `--list` sizes), then
 * `audio-render --tts piper` finding it in DATA_DIR/voices and running it on onnxruntime.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { offlineHubEnv, withTestHub } from "./helpers/test_hub.ts";
import { probeStreams, ROOT, runVideoword } from "./helpers/video.ts";

const FIXTURES = join(ROOT, "tests", "fixtures", "piper");
const MODEL_PATH = "en/en_US/lessac/medium/en_US-lessac-medium.onnx";

function videoword(args: string[], env: Record<string, string>) {
  return runVideoword(args, {
    env: offlineHubEnv(undefined, { VIDEOWORD_RETRY_BASE_MS: "1", ...env }),
  });
}

Deno.test("download --voice: fetched from rhasspy/piper-voices with resume and sha256; audio-render --tts piper uses it", async () => {
  const model = await Deno.readFile(join(FIXTURES, "en_US-test-medium.onnx"));
  const config = await Deno.readFile(join(FIXTURES, "en_US-test-medium.onnx.json"));
  const models = {
    "rhasspy/piper-voices": { [MODEL_PATH]: model, [`${MODEL_PATH}.json`]: config },
  };
  await withTestHub({ datasets: [], models }, async (hub, dir) => {
    const data = join(dir, "data");
    const env = { HF_ENDPOINT: hub.endpoint, HF_HOME: join(dir, "hf") };
    // Without the voice: one line naming the download command, before any video.
    const missing = await videoword([
      "audio-render",
      ...["gsm8k", "--source", "samples", "--num-samples", "1", "--tts", "piper"],
      ...["--data-dir", data, "--base-dir", join(dir, "none"), "--no-progress"],
    ], env);
    assert.match(
      missing.stdout + missing.stderr,
      /Piper voice en_US-lessac-medium not found in .*: run `videoword download --voice en_US-lessac-medium`/,
    );

    // The connection drops mid-model once: the download resumes from where it stopped.
    hub.inject({ kind: "drop", path: MODEL_PATH, afterBytes: 400 });
    const run = await videoword(
      ["download", "--voice", "en_US-lessac-medium", "--data-dir", data],
      env,
    );
    assert.equal(run.code, 0, run.stderr);
    const onDisk = await Deno.readFile(join(data, "voices", "en_US-lessac-medium.onnx"));
    assert.deepEqual(onDisk, model);
    assert.deepEqual(
      await Deno.readFile(join(data, "voices", "en_US-lessac-medium.onnx.json")),
      config,
    );
    const ranges = hub.requests.filter((r) => r.server === "cdn").map((r) => r.range);
    assert.deepEqual(ranges, [null, "bytes=400-"]);
    assert.ok(hub.requests.some((r) => r.path.startsWith("/api/models/rhasspy/piper-voices/")));
    const manifest = JSON.parse(
      await Deno.readTextFile(join(data, "voices", "en_US-lessac-medium.manifest.json")),
    );
    assert.equal(manifest.repo, "rhasspy/piper-voices");
    assert.equal(manifest.commit, hub.commit("rhasspy/piper-voices"));
    assert.equal(manifest.files[0].sha256, createHash("sha256").update(model).digest("hex"));

    // --list shows the voices and their sizes.
    const list = await videoword(["download", "--list", "--data-dir", data], env);
    assert.equal(list.code, 0, list.stderr);
    assert.match(
      list.stdout,
      new RegExp(`en_US-lessac-medium\\s+rhasspy/piper-voices\\s+\\S+ \\S*B\\s+present`),
    );
    assert.match(
      list.stdout,
      /zh_CN-huayan-medium\s+rhasspy\/piper-voices\s+~63 MB\s+not downloaded/,
    );

    // An unknown voice: one line saying so.
    const unknown = await videoword(
      ["download", "--voice", "en_US-nobody-medium", "--data-dir", data],
      env,
    );
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /en_US-nobody-medium/);

    // The default English voice is now found in DATA_DIR/voices.
    const base = join(dir, "out");
    const render = await videoword([
      "audio-render",
      ...["gsm8k", "--source", "samples", "--num-samples", "2", "--tts", "piper"],
      ...["--data-dir", data, "--base-dir", base, "--no-progress"],
    ], env);
    assert.equal(render.code, 0, render.stderr);
    const lines = (await Deno.readTextFile(
      join(base, "gsm8k_audio", "gsm8k_rendering_audio_video_data_0.jsonl"),
    )).trim().split("\n").map((line) => JSON.parse(line));
    assert.equal(lines.length, 2);
    for (const line of lines) {
      assert.equal(line.tts, "piper");
      assert.equal(line.voice, "en_US-lessac-medium");
      // Subtitles show the text as written; only the speech reads the math out.
      assert.ok(line.sentences.some((s: { text: string }) => /\d[/+*=]|= \d/.test(s.text)));
      const streams = await probeStreams(line.video_path);
      const video = streams.find((s) => s.codec_type === "video")!;
      const audio = streams.find((s) => s.codec_type === "audio")!;
      assert.ok(Math.abs(Number(video.duration) - line.duration) < 1 / line.fps + 1e-3);
      assert.ok(Math.abs(Number(audio.duration) - line.duration) < 0.05);
    }
  });
});
