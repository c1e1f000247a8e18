/**
 * `gsm8k_chinese` (swulling/gsm8k_chinese): its real Hub layout on the loopback Hub (train and
 * test Parquet with `question`, `answer`, `question_zh-cn` and an int64 `answer_only`), one real
 * train row and rows videoword translated itself (marked synthetic in the fixture). Downloaded
 * per split, rendered with the Chinese layout and templates, narrated with the Chinese voice.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { getDataset } from "../src/datasets/mod.ts";
import { readDownloadManifest } from "../src/hub/mod.ts";
import { FIXTURE_ROWS, GSM8K_CHINESE_TEST_ROWS } from "./helpers/hub_fixtures.ts";
import { offlineHubEnv, withTestHub } from "./helpers/test_hub.ts";
import { probeVideo, readJsonl, ROOT, runVideoword } from "./helpers/video.ts";

const ROWS = join(ROOT, "tests/fixtures/rows/gsm8k_chinese.jsonl");

function videoword(args: string[], cwd: string, env: Record<string, string>) {
  return runVideoword(args, { cwd, env: offlineHubEnv(cwd, env) });
}

Deno.test("gsm8k_chinese: the real row cleans to the Chinese question and its number", async () => {
  const spec = getDataset("gsm8k_chinese");
  assert.equal(spec.repo, "swulling/gsm8k_chinese");
  assert.equal(spec.language, "zh");
  assert.equal(spec.license, "MIT");
  const [real] = await readJsonl(ROWS);
  assert.match(String(real._fixture), /^real question_zh-cn and answer_only/);
  // The Parquet column is int64: hyparquet reads it as a bigint.
  assert.deepEqual(spec.clean({ ...real, answer_only: 72n }), {
    ok: true,
    prompt:
      "纳塔利娅在 4 月份向 48 个朋友出售了视频片段，然后在 5 月份售出了一半的视频片段。娜塔莉亚在四月和五月总共卖出了多少个视频？",
    response: "答案是：72。",
  });
  assert.deepEqual(spec.clean({ ...real, answer_only: "72" }), spec.clean(real));
  const reason = (row: unknown) => {
    const result = spec.clean(row);
    return result.ok ? "ok" : result.reason;
  };
  assert.equal(reason({ "question_zh-cn": "一个足够长的问题？" }), "missing field 'answer_only'");
  assert.equal(
    reason({ "question_zh-cn": 5, answer_only: 1 }),
    "wrong type 'question_zh-cn': number",
  );
  assert.equal(
    reason({ "question_zh-cn": "一个足够长的问题？", answer_only: [1] }),
    "wrong type 'answer_only': array",
  );
  // The templates are the Chinese math ones.
  assert.equal(spec.templates.inference, getDataset("belle_school_math").templates.inference);
});

Deno.test("gsm8k_chinese: download both splits, render test silent and narrated in Chinese", async () => {
  await withTestHub({ datasets: ["gsm8k_chinese"] }, async (hub, dir) => {
    const env = { HF_ENDPOINT: hub.endpoint, VIDEOWORD_RETRY_BASE_MS: "1" };
    const data = join(dir, "data");
    const base = join(dir, "out");
    const train = await videoword(["download", "gsm8k_chinese", "--data-dir", data], dir, env);
    assert.equal(train.code, 0, train.stderr);
    const test = await videoword(
      ["download", "gsm8k_chinese", "--split", "test", "--data-dir", data],
      dir,
      env,
    );
    assert.equal(test.code, 0, test.stderr);
    assert.equal(
      (await readDownloadManifest(data, "gsm8k_chinese"))?.rowCount,
      FIXTURE_ROWS.gsm8k_chinese,
    );
    const testManifest = await readDownloadManifest(data, "gsm8k_chinese-test");
    assert.equal(testManifest?.rowCount, GSM8K_CHINESE_TEST_ROWS);
    assert.deepEqual(testManifest?.files.map((f) => f.path), ["data/test-00000-of-00001.parquet"]);

    const rendered = await videoword(
      [
        "render",
        "gsm8k_chinese",
        "--split",
        "test",
        "--data-dir",
        data,
        "--base-dir",
        base,
        "--no-progress",
      ],
      dir,
      env,
    );
    assert.equal(rendered.code, 0, rendered.stderr);
    const rows = (await readJsonl(ROWS)).filter((row) => row.split === "test");
    const lines = await readJsonl(
      join(base, "gsm8k_chinese-test", "gsm8k_chinese-test_rendering_video_data_0.jsonl"),
    );
    assert.equal(lines.length, rows.length);
    for (const [i, line] of lines.entries()) {
      assert.equal(
        line.prompt,
        `中文数学题视频。问题：${rows[i]["question_zh-cn"]} 答案：答案是：${rows[i].answer_only}。`,
      );
      const probe = await probeVideo(String(line.video_path));
      assert.equal(probe.width, line.width);
    }
    const inference = await readJsonl(
      join(base, "gsm8k_chinese-test", "gsm8k_chinese-test_inference_video_data_0.jsonl"),
    );
    assert.equal(inference[0].prompt, `中文数学题视频。问题：${rows[0]["question_zh-cn"]}`);

    const narrated = await videoword(
      [
        "audio-render",
        "gsm8k_chinese",
        ...["--split", "test", "--num-samples", "1", "--tts", "espeak", "--mode", "rendering"],
        ...["--data-dir", data, "--base-dir", base, "--no-progress"],
      ],
      dir,
      env,
    );
    assert.equal(narrated.code, 0, narrated.stderr);
    const [spoken] = await readJsonl(
      join(
        base,
        "gsm8k_chinese-test_audio",
        "gsm8k_chinese-test_rendering_audio_video_data_0.jsonl",
      ),
    );
    assert.equal(spoken.voice, "cmn-latn-pinyin");
    assert.equal(spoken.spoken_text, "答案是：18。");
    assert.ok(String(spoken.prompt).startsWith('故事带字幕："'), String(spoken.prompt));
  });
});
