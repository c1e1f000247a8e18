/**
 * `videoword export` end to end: real rendered folders (silent and narrated), damaged on purpose,
 * exported in every format and read back with independent readers (csv-parse, GNU tar, ffprobe).
 */
import assert from "node:assert/strict";
import { isAbsolute, join } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { parse as parseToml } from "smol-toml";
import { planShards } from "../src/export/mod.ts";
import { probeStreams, readJsonl, runVideoword, walkFiles } from "./helpers/video.ts";

const decoder = new TextDecoder();

async function render(base: string): Promise<void> {
  const args = ["--source", "samples", "--base-dir", base, "--no-progress"];
  const silent = await runVideoword([
    "render",
    "gsm8k",
    ...args,
    ...["--num-samples", "5", "--frames", "121", "--width", "320", "--height", "192"],
    ...["--font-size", "14", "--margin", "8"],
  ]);
  assert.equal(silent.code, 0, silent.stderr);
  const narrated = await runVideoword([
    "audio-render",
    "tinystories",
    ...args,
    ...["--num-samples", "2", "--tts", "espeak"],
  ]);
  assert.equal(narrated.code, 0, narrated.stderr);
}

/** Remove row 1's video, empty row 2's, and add a shard repeating row 0 plus a broken line. */
async function damage(dir: string): Promise<void> {
  await Deno.remove(join(dir, "video", "gsm8k_000001.mp4"));
  await Deno.writeFile(join(dir, "video", "gsm8k_000002.mp4"), new Uint8Array());
  for (const mode of ["inference", "rendering"]) {
    const first = (await Deno.readTextFile(join(dir, `gsm8k_${mode}_video_data_0.jsonl`)))
      .split("\n")[0];
    await Deno.writeTextFile(
      join(dir, `gsm8k_${mode}_video_data_3.jsonl`),
      `${first}\n{"not json\n`,
    );
  }
}

async function exportAs(format: string, dir: string, extra: string[] = []): Promise<string> {
  const result = await runVideoword(["export", format, dir, ...extra]);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout;
}

/** The file exists, and ffprobe decodes the frame count and size the row says. */
async function assertVideo(
  path: string,
  row: { frames: number; width: number; height: number },
  narrated = false,
): Promise<void> {
  const streams = await probeStreams(path);
  const video = streams.find((s) => s.codec_type === "video");
  assert.ok(video, `${path}: no video stream`);
  assert.equal(Number(video.nb_read_frames), row.frames, path);
  assert.equal(video.width, row.width, path);
  assert.equal(video.height, row.height, path);
  if (narrated) assert.ok(streams.some((s) => s.codec_type === "audio"), `${path}: no audio`);
}

async function manifestRows(
  dir: string,
  mode: string,
): Promise<Map<number, Record<string, unknown>>> {
  const rows = new Map<number, Record<string, unknown>>();
  for (const name of (await walkFiles(dir)).filter((n) => n.includes(`_${mode}_`))) {
    if (!name.endsWith(".jsonl") || name.includes("/")) continue;
    for (const line of (await Deno.readTextFile(join(dir, name))).split("\n")) {
      try {
        const row = JSON.parse(line);
        if (!rows.has(row.index)) rows.set(row.index, row);
      } catch { /* the broken line */ }
    }
  }
  return rows;
}

async function tar(args: string[]): Promise<Uint8Array> {
  const out = await new Deno.Command("tar", { args, stdout: "piped", stderr: "piped" }).output();
  assert.equal(out.code, 0, decoder.decode(out.stderr));
  return out.stdout;
}

async function digest(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of await walkFiles(dir)) {
    const bytes = await Deno.readFile(join(dir, name));
    const hash = await crypto.subtle.digest("SHA-256", bytes);
    out[name] = Array.from(new Uint8Array(hash), (b) => b.toString(16).padStart(2, "0")).join("");
  }
  return out;
}

Deno.test({
  name: "export: every format, read back with independent readers",
  sanitizeResources: false,
  fn: async (t) => {
    const base = await Deno.makeTempDir({ prefix: "vw-export-" });
    try {
      await render(base);
      const dir = join(base, "gsm8k");
      const audioDir = join(base, "tinystories_audio");
      await damage(dir);
      const inference = await manifestRows(dir, "inference");
      const expectedKeys = ["gsm8k_000000", "gsm8k_000003", "gsm8k_000004"];
      const rowOf = (key: string) => inference.get(Number(key.slice(-6)))!;

      await t.step("diffsynth: CSV with video,prompt relative to the base path", async () => {
        const stdout = await exportAs("diffsynth", dir);
        assert.match(stdout, /left out 2 \(missing video 1, empty video 1/);
        assert.match(stdout, /bad lines 1, duplicates 1/);
        assert.match(stdout, /--dataset_base_path/);
        assert.match(stdout, /'--num_frames' '121' '--height' '192' '--width' '320'/);
        const out = join(dir, "export", "diffsynth_inference");
        const records = parseCsv(await Deno.readTextFile(join(out, "metadata.csv")), {
          columns: true,
        }) as Record<string, string>[];
        assert.deepEqual(Object.keys(records[0]), ["video", "prompt"]);
        assert.deepEqual(records.map((r) => r.video), expectedKeys.map((k) => `video/${k}.mp4`));
        for (const record of records) {
          const key = record.video.slice(6, -4);
          assert.equal(record.prompt, rowOf(key).prompt);
          assert.ok(!isAbsolute(record.video));
          await assertVideo(join(out, record.video), rowOf(key) as never);
        }
        const before = await digest(out);
        await exportAs("diffsynth", dir);
        assert.deepEqual(await digest(out), before, "a re-run writes identical files");
      });

      await t.step("musubi: JSONL video_path/caption and a dataset TOML", async () => {
        await exportAs("musubi", dir, ["--mode", "rendering"]);
        const out = join(dir, "export", "musubi_rendering");
        const rendering = await manifestRows(dir, "rendering");
        const lines = await readJsonl(join(out, "videos.jsonl"));
        assert.equal(lines.length, 3);
        for (const line of lines) {
          assert.deepEqual(Object.keys(line), ["video_path", "caption"]);
          const index = Number(String(line.video_path).slice(-10, -4));
          assert.equal(line.caption, rendering.get(index)!.prompt);
          await assertVideo(String(line.video_path), rendering.get(index) as never);
        }
        const toml = parseToml(await Deno.readTextFile(join(out, "dataset.toml"))) as {
          general: { resolution: number[] };
          datasets: {
            video_jsonl_file: string;
            cache_directory: string;
            target_frames: number[];
          }[];
        };
        assert.deepEqual(toml.general.resolution, [320, 192]);
        assert.equal(toml.datasets[0].video_jsonl_file, join(out, "videos.jsonl"));
        assert.deepEqual(toml.datasets[0].target_frames, [121]);
        assert.ok(toml.datasets[0].cache_directory);
      });

      await t.step("finetrainers: videofolder metadata.jsonl and dataset config", async () => {
        await exportAs("finetrainers", dir);
        const out = join(dir, "export", "finetrainers_inference");
        const lines = await readJsonl(join(out, "metadata.jsonl"));
        assert.deepEqual(lines.map((l) => l.file_name), expectedKeys.map((k) => `video/${k}.mp4`));
        for (const line of lines) {
          await assertVideo(
            join(out, String(line.file_name)),
            rowOf(String(line.file_name).slice(6, -4)) as never,
          );
        }
        const config = JSON.parse(await Deno.readTextFile(join(out, "dataset_config.json")));
        assert.equal(config.datasets[0].data_root, out);
        assert.deepEqual(config.datasets[0].video_resolution_buckets, [[121, 192, 320]]);
      });

      await t.step("ltx and opensora: CSV columns each trainer reads", async () => {
        await exportAs("ltx", dir);
        const ltx = join(dir, "export", "ltx_inference");
        const records = parseCsv(await Deno.readTextFile(join(ltx, "dataset.csv")), {
          columns: true,
        }) as Record<string, string>[];
        assert.deepEqual(Object.keys(records[0]), ["caption", "media_path", "video"]);
        for (const r of records) {
          await assertVideo(join(ltx, r.media_path), rowOf(r.media_path.slice(6, -4)) as never);
        }

        await exportAs("opensora", dir);
        const os = join(dir, "export", "opensora_inference");
        const rows = parseCsv(await Deno.readTextFile(join(os, "opensora.csv")), {
          columns: true,
        }) as Record<string, string>[];
        assert.deepEqual(Object.keys(rows[0]), [
          "path",
          "text",
          "num_frames",
          "height",
          "width",
          "aspect_ratio",
          "resolution",
          "fps",
        ]);
        for (const r of rows) {
          assert.ok(isAbsolute(r.path));
          assert.equal(Number(r.aspect_ratio), 192 / 320);
          assert.equal(Number(r.resolution), 192 * 320);
          await assertVideo(r.path, {
            frames: Number(r.num_frames),
            width: Number(r.width),
            height: Number(r.height),
          });
        }
      });

      await t.step(
        "cogvideox: line-aligned prompts.txt and videos.txt, one line each",
        async () => {
          await exportAs("cogvideox", dir);
          const out = join(dir, "export", "cogvideox_inference");
          const prompts = (await Deno.readTextFile(join(out, "prompts.txt"))).split("\n").slice(
            0,
            -1,
          );
          const videos = (await Deno.readTextFile(join(out, "videos.txt"))).split("\n").slice(
            0,
            -1,
          );
          assert.equal(prompts.length, 3);
          assert.equal(videos.length, 3);
          for (const [i, video] of videos.entries()) {
            const row = rowOf(video.slice(6, -4));
            assert.equal(prompts[i], String(row.prompt).replace(/\s*\n\s*/g, " ").trim());
            await assertVideo(join(out, video), row as never);
          }
        },
      );

      await t.step("webdataset: tars read by GNU tar, members checked pair by pair", async () => {
        const stdout = await exportAs("webdataset", dir, ["--shard-samples", "2"]);
        assert.match(stdout, /2 shards/);
        const out = join(dir, "export", "webdataset_inference");
        const seen: string[] = [];
        for (const shard of ["00000.tar", "00001.tar"]) {
          const members = decoder.decode(await tar(["-tf", join(out, shard)])).trim().split("\n");
          const keys = (await Deno.readTextFile(join(out, `${shard}.idx`))).trim().split("\n");
          assert.deepEqual(members, keys.flatMap((k) => [`${k}.mp4`, `${k}.txt`, `${k}.json`]));
          for (const key of keys) {
            const row = rowOf(key);
            const text = decoder.decode(await tar(["-xOf", join(out, shard), `${key}.txt`]));
            assert.equal(text, row.prompt);
            const json = JSON.parse(
              decoder.decode(await tar(["-xOf", join(out, shard), `${key}.json`])),
            );
            assert.equal(json.key, key);
            assert.equal(json.index, row.index);
            const mp4 = await tar(["-xOf", join(out, shard), `${key}.mp4`]);
            assert.deepEqual(mp4, await Deno.readFile(join(dir, "video", `${key}.mp4`)));
            seen.push(key);
          }
        }
        assert.deepEqual(seen, expectedKeys);
        const before = await digest(out);
        await exportAs("webdataset", dir, ["--shard-samples", "2"]);
        assert.deepEqual(await digest(out), before, "a re-run writes identical tars");
        await exportAs("webdataset", dir);
        assert.deepEqual(
          (await walkFiles(out)).filter((n) => n.endsWith(".tar")),
          ["00000.tar"],
          "a re-run with bigger shards removes the old extra shard",
        );
      });

      await t.step("narrated: input_audio for DiffSynth, audio for LTX-2", async () => {
        const stdout = await exportAs("diffsynth", audioDir);
        assert.match(stdout, /'--data_file_keys' 'video,input_audio'/);
        const out = join(audioDir, "export", "diffsynth_inference");
        const records = parseCsv(await Deno.readTextFile(join(out, "metadata.csv")), {
          columns: true,
        }) as Record<string, string>[];
        assert.equal(records.length, 2);
        const rows = await manifestRows(audioDir, "inference");
        for (const r of records) {
          assert.deepEqual(Object.keys(r), ["video", "prompt", "input_audio"]);
          const row = rows.get(Number(r.video.slice(-10, -4)))!;
          await assertVideo(join(out, r.input_audio), row as never, true);
        }
        await exportAs("ltx", audioDir);
        const ltx = parseCsv(
          await Deno.readTextFile(join(audioDir, "export", "ltx_inference", "dataset.csv")),
          { columns: true },
        ) as Record<string, string>[];
        assert.deepEqual(Object.keys(ltx[0]), ["caption", "media_path", "video", "audio"]);
      });

      await t.step(
        "errors: unknown format and a folder without manifests are one line",
        async () => {
          const bad = await runVideoword(["export", "sora", dir]);
          assert.notEqual(bad.code, 0);
          assert.match(bad.stderr, /sora/);
          const empty = await Deno.makeTempDir({ dir: base });
          const none = await runVideoword(["export", "diffsynth", empty]);
          assert.equal(none.code, 1);
          assert.equal(none.stderr.trim().split("\n").length, 1, none.stderr);
        },
      );
    } finally {
      await Deno.remove(base, { recursive: true });
    }
  },
});

Deno.test("planShards: closes a shard before it passes the size or sample limit", () => {
  const items = [300, 300, 300, 2000, 10].map((bytes) => ({ bytes }));
  const bySize = planShards(items, { shardSize: 2000 }).map((s) => s.map((i) => i.bytes));
  assert.deepEqual(bySize, [[300, 300, 300], [2000], [10]]);
  const byCount = planShards(items, { shardSize: 1e9, shardSamples: 2 }).map((s) => s.length);
  assert.deepEqual(byCount, [2, 2, 1]);
});
