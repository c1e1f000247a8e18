/**
 * Yield of silent videos under a model preset, from the pure layout plan (the renderer's own
 * `plan` step, bundled font metrics; nothing is painted or encoded): rows that render, rows cut
 * (stories), skips by reason, and the reveal pace reached.
 *
 * Usage: deno run -A tasks/preset_yield.ts PRESET DATASET=FILE.jsonl [DATASET=FILE.jsonl ...]
 *
 * @module
 */
import { getDataset, readSamples } from "../src/datasets/mod.ts";
import { silentRenderer, type SilentState } from "../src/pipeline/mod.ts";
import { silentSettings } from "./preset_settings.ts";
import { parsePreset } from "../src/options/mod.ts";

const USAGE = "usage: deno run -A tasks/preset_yield.ts PRESET DATASET=FILE.jsonl [...]";

/** A wrong invocation: one line and the usage, exit 2. */
function usageError(message: string): never {
  console.error(`preset_yield: ${message}\n${USAGE}`);
  Deno.exit(2);
}

const [presetName, ...inputs] = Deno.args;
let preset: ReturnType<typeof parsePreset>;
try {
  preset = parsePreset(presetName ?? "");
} catch (error) {
  usageError((error as Error).message);
}
if (inputs.length === 0 || inputs.some((input) => !/^[a-z0-9_]+=./.test(input))) {
  usageError("give at least one DATASET=FILE.jsonl");
}
const video = silentSettings({ preset });
console.log(
  `preset ${preset}: ${video.width}x${video.height}, ${video.frames} frames at ${video.fps} fps, ` +
    `pace ${video.pace}, font ${video.fontSize}/${video.lineHeight}, margin ${video.margin}`,
);
console.log(
  "| dataset | rows | rendered | yield | cut (stories) | skipped by reason | max units/frame |",
);
console.log("|---|---|---|---|---|---|---|");
for (const input of inputs) {
  const [key, file] = input.split("=");
  const spec = getDataset(key);
  const renderer = silentRenderer(spec, {
    fps: video.fps,
    layout: { ...video, frames: video.frames },
  });
  let rows = 0;
  let rendered = 0;
  let cut = 0;
  let maxUnits = 0;
  const skips = new Map<string, number>();
  const skip = (reason: string) => skips.set(reason, (skips.get(reason) ?? 0) + 1);
  for await (const item of readSamples(spec, [file])) {
    rows++;
    if ("skip" in item) {
      skip(item.skip.split(":")[0]);
      continue;
    }
    const planned = await renderer.plan(item.sample);
    if ("skip" in planned) {
      skip(planned.skip);
      continue;
    }
    const plan = (planned.state as SilentState).plan;
    rendered++;
    if (plan.truncated) cut++;
    maxUnits = Math.max(maxUnits, plan.unitsPerFrame.max);
  }
  const reasons = [...skips].map(([r, n]) => `${r}: ${n}`).join(", ") || "none";
  console.log(
    `| ${key} | ${rows} | ${rendered} | ${(100 * rendered / rows).toFixed(2)}% | ${cut} | ` +
      `${reasons} | ${maxUnits} |`,
  );
}
