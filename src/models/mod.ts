/**
 * The models videoword renders for and the trainers' formats export writes: one record per model
 * family (size, frames, fps, frame rule, side step, sources) and one per trainer format (files,
 * trainer, path rule, the family whose rules it checks). `--preset` and export read them.
 *
 * @example
 * ```ts
 * import { frameRuleFloor, MODEL_FAMILIES, TRAINER_FORMATS } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const wan = MODEL_FAMILIES.wan;
 * assert.equal(frameRuleFloor(193, wan.frameStep), 193); // 4·48 + 1
 * assert.equal(frameRuleFloor(100, wan.frameStep), 97);
 * assert.equal(TRAINER_FORMATS.diffsynth.rules?.family, "wan");
 * ```
 *
 * @module
 */
export {
  frameRuleFloor,
  MODEL_FAMILIES,
  MODEL_FAMILY_NAMES,
  type ModelFamily,
  type ModelFamilyName,
  sideFloor,
  TRAINER_FORMAT_NAMES,
  TRAINER_FORMATS,
  type TrainerFormat,
  type TrainerFormatName,
} from "./_models.ts";
