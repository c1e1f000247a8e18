/**
 * Cross-option rules, in one place: a value the user set (flag, environment or settings file)
 * that the other values make the program ignore is named in a one-line warning, never dropped
 * without a word.
 */
import { type ConditionalLayoutSetting, layoutSettingUsed } from "../layout/mod.ts";
import { type FingerprintEncoder, fingerprintEncoder } from "../pipeline/mod.ts";
import { encoderSettings } from "./_settings.ts";
import type { OptionValues } from "./_table.ts";

/** An option the resolved values leave unused, and why. */
export interface IgnoredOption {
  key: keyof OptionValues;
  /** Why it has no effect, e.g. `the native encoder does not use it (its quality is --qp)`. */
  reason: string;
}

type Rule = [keyof OptionValues, (values: OptionValues) => string | null];

const RULES: readonly Rule[] = [
  // What the fingerprint hashes of the encoder settings (pipeline's fingerprintEncoder): a
  // field it leaves out cannot change the bytes.
  encoderRule("crf", "crf", () => "the native encoder does not use it (its quality is --qp)"),
  encoderRule(
    "x264Preset",
    "preset",
    (v) =>
      v.codec === "mpeg4"
        ? "--codec mpeg4 does not use it"
        : "the native encoder does not use it (it applies to --encoder x264)",
  ),
  encoderRule("qp", "qp", () => "only the native encoder uses it (x264 and mpeg4: --crf)"),
  encoderRule("encoder", "encoder", () => "--codec mpeg4 has its own encoder"),
  // Layout's own rule, which the fingerprint follows too (an ignored value counts as its default).
  layoutRule("holdFrames", "it applies to --pace fit"),
  layoutRule("maxUnitsPerFrame", "it applies to --pace fit"),
  layoutRule("promptPageFrames", "it applies to --long-prompt paginate"),
  ["rateRange", (v) => v.duration === undefined ? "it applies with --duration" : null],
  ["ttsAttempts", (v) => v.tts === "edge" ? null : "only --tts edge retries"],
];

/** Distributes `keyof` over the union: every field of any encoder's variant. */
type AnyKeyOf<T> = T extends unknown ? keyof T : never;

function encoderRule(
  key: keyof OptionValues,
  field: AnyKeyOf<FingerprintEncoder>,
  reason: (values: OptionValues) => string,
): Rule {
  return [key, (v) => field in fingerprintEncoder(encoderSettings(v)) ? null : reason(v)];
}

function layoutRule(key: ConditionalLayoutSetting, reason: string): Rule {
  return [key, (v) => layoutSettingUsed(key, v) ? null : reason];
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
