/**
 * The datasets: one declarative module each (where the rows live on the Hub, how a row becomes
 * display text, the manifest templates), plus finding their files and reading cleaned samples.
 *
 * @example
 * ```ts
 * import { getDataset, readSamples, sampleFiles } from "./mod.ts";
 *
 * const spec = getDataset("gsm8k");
 * for await (const item of readSamples(spec, sampleFiles(spec), { start: 0, count: 3 })) {
 *   if ("sample" in item) console.log(item.index, item.sample.prompt);
 *   else console.log(item.index, "skipped:", item.skip);
 * }
 * ```
 *
 * @module
 */
import { join } from "node:path";
import { readRows } from "../readers/mod.ts";
import { DATASETS } from "./_registry.ts";
import type { DatasetSpec, Sample } from "./_types.ts";

export type {
  CleanResult,
  DatasetKind,
  DatasetSpec,
  Language,
  PromptTemplates,
  Sample,
} from "./_types.ts";
export {
  globToRegExp,
  type LocalDatasetFile,
  localDatasetFiles,
  matchesAnyGlob,
  resolveDatasetFiles,
} from "./_files.ts";
import { firstLine } from "../errors/mod.ts";
export { cleanGsm8kAnswer } from "./_gsm8k.ts";
export { unwrapBoxed } from "./_openmath2_gsm8k.ts";

/** The keys of every known dataset, e.g. `gsm8k`. */
export const DATASET_KEYS: readonly string[] = DATASETS.map((spec) => spec.key);

/** Every known dataset spec. */
export function listDatasets(): DatasetSpec[] {
  return [...DATASETS];
}

/** The spec of `key`; an unknown key is an Error listing the valid ones. */
export function getDataset(key: string): DatasetSpec {
  const spec = DATASETS.find((candidate) => candidate.key === key);
  if (!spec) {
    throw new Error(`unknown dataset '${key}' (valid: ${DATASET_KEYS.join(", ")})`);
  }
  return spec;
}

/** A cleaned row, or the reason the row at `index` was skipped (a short key, detail after `:`). */
export type SampleItem = { index: number; sample: Sample } | { index: number; skip: string };

/** Which rows to read: `[start, start + count)` of the train split. */
export interface ReadSamplesOptions {
  start?: number;
  count?: number;
}

/**
 * Read rows `[start, start + count)` of `files` and clean them with `spec`. Unreadable rows
 * and rows the spec rejects become `{ index, skip }`; nothing throws per row.
 */
export async function* readSamples(
  spec: DatasetSpec,
  files: string[],
  options: ReadSamplesOptions = {},
): AsyncGenerator<SampleItem> {
  for await (const item of readRows(files, options)) {
    if ("error" in item) {
      yield { index: item.index, skip: `unreadable row: ${item.error}` };
      continue;
    }
    let result;
    try {
      result = spec.clean(item.row);
    } catch (error) {
      result = { ok: false as const, reason: `clean failed: ${firstLine(error)}` };
    }
    yield result.ok
      ? {
        index: item.index,
        sample: { index: item.index, prompt: result.prompt, response: result.response },
      }
      : { index: item.index, skip: result.reason };
  }
}

/** The embedded sample rows of `spec` (for `--source samples`), shipped with the program. */
export function sampleFiles(spec: DatasetSpec): string[] {
  return [join(import.meta.dirname!, "samples", `${spec.key}.jsonl`)];
}
