/**
 * Model presets: one per model family of src/models (each number checked in the model's or
 * trainer's own source, cited there). A preset is a layer of option values over the built-in defaults
 * (`resolveOptions`' `preset` layer): the settings file, the environment and flags override it.
 */
import { InvalidArgumentError } from "@commander-js/extra-typings";
import { X264_PRESETS } from "../encode/mod.ts";
import {
  MODEL_FAMILIES,
  MODEL_FAMILY_NAMES,
  type ModelFamily,
  type ModelFamilyName,
} from "../models/mod.ts";
import type { CommandName, OptionValues } from "./_table.ts";

/** Names accepted by `--preset`: the model families. */
export const PRESET_NAMES = MODEL_FAMILY_NAMES;

/** One of {@link PRESET_NAMES}. */
export type PresetName = ModelFamilyName;

/** What a preset sets: a model family's clip shape and pace. */
export type ModelPreset = ModelFamily;

/** The presets: one per model family (src/models, where each number's source is cited). */
export const PRESETS: Readonly<Record<PresetName, ModelPreset>> = MODEL_FAMILIES;

/** `--preset` value: a preset name; an x264 preset name points to `--x264-preset`. */
export function parsePreset(value: string): PresetName {
  if ((PRESET_NAMES as readonly string[]).includes(value)) return value as PresetName;
  if (X264_PRESETS.includes(value)) {
    throw new InvalidArgumentError(`'${value}' is an x264 preset: use --x264-preset ${value}`);
  }
  throw new InvalidArgumentError(`unknown preset '${value}' (use ${PRESET_NAMES.join(", ")})`);
}

/** One `--help` line per preset. */
export function presetHelp(): string {
  return PRESET_NAMES.map((name) => {
    const p = PRESETS[name];
    return `${name}: ${p.width}x${p.height}, ${p.frames} frames at ${p.fps} fps, pace ${p.pace}` +
      ` (${p.model})`;
  }).join("; ");
}

/** The option values preset `name` sets for `command` (narrated videos use `narratedFps`). */
export function presetValues(name: PresetName, command: CommandName): Partial<OptionValues> {
  const row = PRESETS[name];
  const size = { width: row.width, height: row.height };
  return command === "audio-render"
    ? { ...size, fps: row.narratedFps, frameStep: row.frameStep }
    : { ...size, frames: row.frames, fps: row.fps, pace: row.pace };
}
