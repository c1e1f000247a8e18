/**
 * The models home (src/models): every family's clip obeys its own frame rule and side step, every
 * number cites a source; the presets are the families; export writes exactly the files each
 * trainer format's record names and passes the trainer the shape the family's rules keep.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { exportDataset } from "../src/export/mod.ts";
import {
  frameRuleFloor,
  MODEL_FAMILIES,
  MODEL_FAMILY_NAMES,
  sideFloor,
  TRAINER_FORMAT_NAMES,
  TRAINER_FORMATS,
} from "../src/models/mod.ts";
import { PRESET_NAMES, presetValues } from "../src/options/mod.ts";
import { runVideoword, withTempDir } from "./helpers/video.ts";

Deno.test("models: each family's clip obeys its own rules; each number has a source", () => {
  for (const name of MODEL_FAMILY_NAMES) {
    const family = MODEL_FAMILIES[name];
    assert.equal(frameRuleFloor(family.frames, family.frameStep), family.frames, name);
    assert.equal(sideFloor(family.width, family.sideStep), family.width, name);
    assert.equal(sideFloor(family.height, family.sideStep), family.height, name);
    assert.ok(family.sources.length > 0, `${name}: no source`);
  }
  assert.equal(frameRuleFloor(100, 4), 97);
  assert.equal(frameRuleFloor(1, 8), 1);
  assert.equal(sideFloor(360, 32), 352);
  assert.equal(sideFloor(10, 16), 16);
  // --preset is the families, read from their records.
  assert.deepEqual([...PRESET_NAMES], [...MODEL_FAMILY_NAMES]);
  const ltx = presetValues("ltx", "render");
  assert.deepEqual([ltx.width, ltx.height, ltx.frames], [768, 448, 89]);
  assert.equal(presetValues("wan", "audio-render").frameStep, MODEL_FAMILIES.wan.frameStep);
  for (const format of TRAINER_FORMAT_NAMES) {
    const record = TRAINER_FORMATS[format];
    assert.ok(record.sources.length > 0, `${format}: no source`);
    if (record.rules) assert.ok(MODEL_FAMILIES[record.rules.family].frameStep > 1, format);
  }
});

Deno.test("models: export writes each trainer format's files and the shape its rules keep", async () => {
  await withTempDir(async (dir) => {
    const base = join(dir, "out");
    const rendered = await runVideoword(
      ["render", "gsm8k", "--source", "samples", "--num-samples", "2", "--base-dir", base],
      { cwd: dir, env: { NO_COLOR: "1" } },
    );
    assert.equal(rendered.code, 0, rendered.stderr);
    for (const format of TRAINER_FORMAT_NAMES) {
      const record = TRAINER_FORMATS[format];
      const report = await exportDataset(join(base, "gsm8k"), {
        format,
        mode: "inference",
        shardSize: 1e9,
      });
      assert.deepEqual(report.files, [...record.files, "trainer_args.sh"], format);
      assert.equal(report.trainer, record.trainer, format);
      if (!record.rules) {
        assert.deepEqual(report.notes, [], format);
        continue;
      }
      // 640x360, 193 frames: every rule keeps the frames; 360 lines are cropped to the step.
      const { frameStep, sideStep } = MODEL_FAMILIES[record.rules.family];
      const height = sideFloor(360, sideStep);
      assert.equal(frameRuleFloor(193, frameStep), 193);
      assert.deepEqual(report.notes, [
        `${record.rules.model} needs sides in multiples of ${sideStep}: 640x360 is cropped to ` +
        `640x${height} (render with --preset ${record.rules.family})`,
      ], format);
    }
  });
});
