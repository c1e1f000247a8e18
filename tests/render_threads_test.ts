/**
 * Painting on worker threads (`--render-threads`) gives the same bytes as painting on the main
 * thread, for silent and narrated videos.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { listNames, readJsonl, runVideoword, withTempDir } from "./helpers/video.ts";

async function renderInto(base: string, command: string, extra: string[]): Promise<void> {
  const result = await runVideoword([
    command,
    command === "render" ? "gsm8k" : "tinystories",
    "--source",
    "samples",
    "--num-samples",
    "3",
    "--num-workers",
    "3",
    "--base-dir",
    base,
    "--no-progress",
    ...extra,
  ]);
  assert.equal(result.code, 0, result.stderr);
}

async function assertSameOutput(a: string, b: string, folder: string): Promise<void> {
  const videos = await listNames(join(a, folder, "video"), /\.mp4$/);
  assert.ok(videos.length >= 2, `videos: ${videos}`);
  assert.deepEqual(await listNames(join(b, folder, "video"), /\.mp4$/), videos);
  for (const name of videos) {
    const x = await Deno.readFile(join(a, folder, "video", name));
    const y = await Deno.readFile(join(b, folder, "video", name));
    assert.ok(x.length === y.length && x.every((v, i) => v === y[i]), `${name} differs`);
  }
  const manifests = await listNames(join(a, folder), /\.jsonl$/);
  for (const name of manifests) {
    const left = (await readJsonl(join(a, folder, name))).map((l) =>
      JSON.stringify(l).replaceAll(a, "BASE")
    );
    const right = (await readJsonl(join(b, folder, name))).map((l) =>
      JSON.stringify(l).replaceAll(b, "BASE")
    );
    assert.deepEqual(right, left);
  }
}

Deno.test("silent videos painted on worker threads equal those painted on the main thread", async () => {
  await withTempDir(async (dir) => {
    await renderInto(join(dir, "main"), "render", ["--render-threads", "0"]);
    await renderInto(join(dir, "threads"), "render", ["--render-threads", "2"]);
    await assertSameOutput(join(dir, "main"), join(dir, "threads"), "gsm8k");
  });
});

Deno.test("narrated videos painted on worker threads equal those painted on the main thread", async () => {
  await withTempDir(async (dir) => {
    const tts = ["--tts", "espeak", "--tts-cache", join(dir, "cache"), "--max-duration", "8"];
    await renderInto(join(dir, "main"), "audio-render", [...tts, "--render-threads", "0"]);
    await renderInto(join(dir, "threads"), "audio-render", [...tts, "--render-threads", "2"]);
    await assertSameOutput(join(dir, "main"), join(dir, "threads"), "tinystories_audio");
  });
});
