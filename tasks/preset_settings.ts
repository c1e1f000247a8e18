/**
 * Model presets as `render` / `audio-render` apply them. The preset table itself lives with the
 * option table (`src/options/_presets.ts`): a preset is the layer of option values under the
 * settings file, the environment and the flags. These helpers resolve just the preset-shaped
 * values through that same resolution, for `tasks/preset_yield.ts` and the presets test (the
 * program itself resolves whole commands).
 *
 * @module
 */
import type { RevealPace } from "../src/layout/mod.ts";
import {
  audioRenderSettings,
  type PresetName,
  presetValues,
  renderSettings,
  resolveOptions,
} from "../src/options/mod.ts";

/** Flags of `render` a preset gives defaults for (undefined: not given). */
export interface SilentFlags {
  preset?: PresetName;
  width?: number;
  height?: number;
  frames?: number;
  fps?: number;
  pace?: RevealPace;
  holdFrames?: number;
  maxUnitsPerFrame?: number;
  fontSize?: number;
  lineHeight?: number;
  margin?: number;
}

/** Geometry, length and pace of silent videos, fully resolved. */
export interface SilentSettings {
  preset: PresetName;
  width: number;
  height: number;
  frames: number;
  fps: number;
  pace: RevealPace;
  /** `fit` only; undefined: the layout's default share of the frames. */
  holdFrames?: number;
  maxUnitsPerFrame: number;
  fontSize: number;
  lineHeight: number;
  margin: number;
}

function fileWithFontSize(fontSize: number | undefined): Record<string, unknown> {
  return fontSize === undefined ? {} : { render: { font_size: fontSize } };
}

/**
 * Resolve silent video settings: a flag, else the preset's value; font size, line pitch and
 * margin scale with the height unless given (`configFontSize`: a font size from the settings
 * file, used when no flag gives one). Throws one line when the flags contradict each other.
 */
export function silentSettings(flags: SilentFlags, configFontSize?: number): SilentSettings {
  const preset = flags.preset ?? "seed";
  const { values, origins } = resolveOptions("render", {
    preset: presetValues(preset, "render"),
    file: fileWithFontSize(configFontSize),
    flags,
  });
  const { layout, fps } = renderSettings("all", values, origins).silent;
  return {
    preset,
    width: layout.width,
    height: layout.height,
    frames: layout.frames,
    fps,
    pace: layout.pace,
    holdFrames: flags.holdFrames,
    maxUnitsPerFrame: layout.maxUnitsPerFrame,
    fontSize: layout.fontSize,
    lineHeight: layout.lineHeight,
    margin: layout.margin,
  };
}

/** Flags of `audio-render` a preset gives defaults for. */
export interface NarratedFlags {
  preset?: PresetName;
  width?: number;
  height?: number;
  fps?: number;
  fontSize?: number;
}

/** Geometry, rate and frame rule of narrated videos, fully resolved. */
export interface NarratedSettings {
  width: number;
  height: number;
  fps: number;
  /** Frame counts are `frameStep·n + 1`. */
  frameStep: number;
  fontSize: number;
  minFontSize: number;
  margin: number;
}

/** Resolve narrated video settings: a flag, else the preset's value; sizes scale with height. */
export function narratedSettings(flags: NarratedFlags, configFontSize?: number): NarratedSettings {
  const { values } = resolveOptions("audio-render", {
    preset: presetValues(flags.preset ?? "seed", "audio-render"),
    file: fileWithFontSize(configFontSize),
    flags,
  });
  const narrated = audioRenderSettings("all", values).narrated;
  const { width, height, fps, frameStep, fontSize, minFontSize, margin } = narrated;
  return { width, height, fps, frameStep, fontSize, minFontSize, margin };
}
