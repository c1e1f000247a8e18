/**
 * Cross-option rules, in one place: a value the user set (flag, environment or settings file)
 * that the other values make the program ignore is named in a one-line warning, never dropped
 * without a word.
 */
import { type ConditionalLayoutSetting, layoutSettingUsed } from "../layout/mod.ts";
import type { OptionValues } from "./_table.ts";

/** An option the resolved values leave unused, and why. */
export interface IgnoredOption {
  key: keyof OptionValues;
  /** Why it has no effect, e.g. `the native encoder does not use it (its quality is --qp)`. */
  reason: string;
}

type Rule = [keyof OptionValues, (values: OptionValues) => string | null];

const RULES: readonly Rule[] = [
  ["crf", (v) => isNative(v) ? "the native encoder does not use it (its quality is --qp)" : null],
  [
    "x264Preset",
    (v) =>
      isNative(v)
        ? "the native encoder does not use it (it applies to --encoder x264)"
        : v.codec === "mpeg4"
        ? "--codec mpeg4 does not use it"
        : null,
  ],
  ["qp", (v) => isNative(v) ? null : "only the native encoder uses it (x264 and mpeg4: --crf)"],
  ["encoder", (v) => v.codec === "mpeg4" ? "--codec mpeg4 has its own encoder" : null],
  // Layout's own rule, which the fingerprint follows too (an ignored value counts as its default).
  layoutRule("holdFrames", "it applies to --pace fit"),
  layoutRule("maxUnitsPerFrame", "it applies to --pace fit"),
  layoutRule("promptPageFrames", "it applies to --long-prompt paginate"),
  ["rateRange", (v) => v.duration === undefined ? "it applies with --duration" : null],
  ["ttsAttempts", (v) => v.tts === "edge" ? null : "only --tts edge retries"],
];

function layoutRule(key: ConditionalLayoutSetting, reason: string): Rule {
  return [key, (v) => layoutSettingUsed(key, v) ? null : reason];
}

function isNative(values: OptionValues): boolean {
  return values.codec === "h264" && values.encoder === "native";
}

/**
 * The options the user set (`userSet`) that `values` make the program ignore. Rows the command
 * does not offer (`offered`: a shared settings file's render-only keys under `audio-render`)
 * are not its options and are not reported.
 */
export function ignoredOptions(
  values: OptionValues,
  userSet: ReadonlySet<keyof OptionValues>,
  offered: (key: keyof OptionValues) => boolean,
): IgnoredOption[] {
  const ignored: IgnoredOption[] = [];
  for (const [key, why] of RULES) {
    if (!userSet.has(key) || !offered(key)) continue;
    const reason = why(values);
    if (reason) ignored.push({ key, reason });
  }
  return ignored;
}
