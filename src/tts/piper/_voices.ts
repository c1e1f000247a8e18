import { isAbsolute, join, resolve } from "node:path";

/** The Hub repo Piper's voices are published in. */
export const PIPER_VOICES_REPO = "rhasspy/piper-voices";

/** The voice used when none is given. */
export const DEFAULT_PIPER_VOICES = {
  en: "en_US-lessac-medium",
  zh: "zh_CN-huayan-medium",
} as const;

/** `en_US-lessac-medium`: language_REGION-dataset-quality. */
const VOICE_NAME = /^([a-z]{2,3})_([A-Za-z0-9]{2,4})-([A-Za-z0-9_]+)-(x_low|low|medium|high)$/;

/**
 * A voice's files in `rhasspy/piper-voices`: `en/en_US/lessac/medium/en_US-lessac-medium.onnx`
 * and its `.onnx.json`. Throws a one-line error for a name that is not a voice name.
 *
 * @example
 * ```ts
 * voiceRepoPaths("en_US-lessac-medium").model; // "en/en_US/lessac/medium/en_US-lessac-medium.onnx"
 * ```
 */
export function voiceRepoPaths(name: string): { model: string; config: string } {
  const match = VOICE_NAME.exec(name);
  if (!match) {
    throw new Error(
      `'${name}' is not a Piper voice name (LANG_REGION-DATASET-QUALITY, e.g. en_US-lessac-medium)`,
    );
  }
  const [, family, region, dataset, quality] = match;
  const model = `${family}/${family}_${region}/${dataset}/${quality}/${name}.onnx`;
  return { model, config: `${model}.json` };
}

/** True when `voice` names a file (a path) rather than a voice in the voices folder. */
function isPath(voice: string): boolean {
  return isAbsolute(voice) || voice.includes("/") || voice.endsWith(".onnx");
}

/**
 * The `.onnx` file of `voice` (a NAME in `voicesDir`, or a path); a one-line error naming the
 * download command when it or its `.onnx.json` is missing.
 */
export async function resolveVoiceFile(voice: string, voicesDir: string): Promise<string> {
  const model = isPath(voice)
    ? resolve(voice.endsWith(".onnx") ? voice : `${voice}.onnx`)
    : join(resolve(voicesDir), `${voice}.onnx`);
  for (const path of [model, `${model}.json`]) {
    try {
      if ((await Deno.stat(path)).isFile) continue;
    } catch {
      // reported below
    }
    throw new Error(
      isPath(voice)
        ? `Piper voice file ${path} not found`
        : `Piper voice ${voice} not found in ${voicesDir}: run \`videoword download --voice ${voice}\``,
    );
  }
  return model;
}
