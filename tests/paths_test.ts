import assert from "node:assert/strict";
import { basename } from "node:path";
import {
  datasetFolderName,
  datasetOutputDir,
  hostTag,
  manifestFileName,
  manifestPath,
  parseDatasetFolderName,
  parseManifestFileName,
  parseStatsFileName,
  parseTempFileName,
  parseVideoFileName,
  statsFileName,
  statsPath,
  tempPathFor,
  videoFileName,
  videoKey,
  videoPath,
} from "../src/paths/mod.ts";

const DATASETS = ["gsm8k", "openmath2_gsm8k", "belle_school_math", "tinystories_chinese"];

Deno.test("output names: every built name parses back to what built it", () => {
  for (const dataset of DATASETS) {
    for (const kind of ["silent", "narrated"] as const) {
      assert.deepEqual(parseDatasetFolderName(datasetFolderName(dataset, { kind })), {
        dataset,
        kind,
      });
      for (const mode of ["inference", "rendering"] as const) {
        for (const start of [0, 7, 1000, 123456789, null]) {
          const name = manifestFileName(dataset, { kind, mode, start });
          assert.deepEqual(parseManifestFileName(name), { dataset, kind, mode, start }, name);
        }
      }
    }
    for (const index of [0, 12, 999_999, 1_000_000, 12_345_678]) {
      assert.deepEqual(parseVideoFileName(videoFileName(dataset, index)), { dataset, index });
      assert.equal(videoFileName(dataset, index), `${videoKey(dataset, index)}.mp4`);
    }
    assert.deepEqual(parseStatsFileName(statsFileName(dataset, 300)), { dataset, start: 300 });
  }
});

Deno.test("output names: the layout on disk is the documented one", () => {
  assert.equal(datasetOutputDir("/out", "gsm8k"), "/out/gsm8k");
  assert.equal(datasetOutputDir("/out", "gsm8k", { kind: "narrated" }), "/out/gsm8k_audio");
  assert.equal(videoPath("/out", "gsm8k", 12), "/out/gsm8k/video/gsm8k_000012.mp4");
  assert.equal(
    manifestPath("/out", "gsm8k", { mode: "inference", start: 1000 }),
    "/out/gsm8k/gsm8k_inference_video_data_1000.jsonl",
  );
  assert.equal(
    manifestPath("/out", "tinystories", { kind: "narrated", mode: "rendering", start: 0 }),
    "/out/tinystories_audio/tinystories_rendering_audio_video_data_0.jsonl",
  );
  assert.equal(
    manifestFileName("gsm8k", { mode: "inference" }),
    "gsm8k_inference_video_data.jsonl",
  );
  assert.equal(
    statsPath("/out", "gsm8k", { kind: "narrated", start: 5 }),
    "/out/gsm8k_audio/gsm8k_stats_5.json",
  );
});

Deno.test("output names: names this tool never writes do not parse", () => {
  for (
    const name of [
      "gsm8k_12.mp4",
      "gsm8k_0000012.mp4",
      "GSM8K_000012.mp4",
      "gsm8k_000012.mp4.bak",
      ".gsm8k_000012.mp4.1.2.tmp",
    ]
  ) {
    assert.equal(parseVideoFileName(name), null, name);
  }
  for (
    const name of [
      "gsm8k_training_video_data_0.jsonl",
      "gsm8k_inference_video_data_007.jsonl",
      "gsm8k_inference_video_data_0.json",
      "gsm8k_inference_audio_data_0.jsonl",
      "gsm8k_inference_video_data_-1.jsonl",
    ]
  ) {
    assert.equal(parseManifestFileName(name), null, name);
  }
  assert.equal(parseStatsFileName("gsm8k_stats_01.json"), null);
  assert.equal(parseStatsFileName("gsm8k_stats.json"), null);
});

Deno.test("temp names: hidden, beside the target, unique, and parse back to the target", () => {
  const a = tempPathFor("/out/gsm8k/video/gsm8k_000003.mp4");
  const b = tempPathFor("/out/gsm8k/video/gsm8k_000003.mp4");
  assert.notEqual(a, b);
  assert.match(a, /^\/out\/gsm8k\/video\/\.gsm8k_000003\.mp4@[A-Za-z0-9._-]+\.\d+\.\d+\.tmp$/);
  assert.deepEqual(parseTempFileName(basename(a)), {
    target: "gsm8k_000003.mp4",
    pid: Deno.pid,
    host: hostTag(),
  });
  // A host name with dots, and the host-less names of older versions.
  assert.deepEqual(parseTempFileName(".gsm8k_000003.mp4@n1.cluster.org.42.0.tmp"), {
    target: "gsm8k_000003.mp4",
    pid: 42,
    host: "n1.cluster.org",
  });
  assert.deepEqual(parseTempFileName(".gsm8k_000003.mp4.42.0.tmp"), {
    target: "gsm8k_000003.mp4",
    pid: 42,
    host: null,
  });
  const manifest = tempPathFor(manifestPath("/o", "gsm8k", { mode: "inference", start: 0 }));
  assert.equal(parseTempFileName(basename(manifest))?.target, "gsm8k_inference_video_data_0.jsonl");
  assert.equal(parseTempFileName("gsm8k_000003.mp4"), null);
  assert.equal(parseTempFileName(".gsm8k_000003.mp4.tmp"), null);
});
