/**
 * The datasets, declared as data: the built-ins in `builtin_datasets.jsonc`, the user's under
 * `datasets` in `videoword.jsonc`, both in one format (where the rows live, which fields hold
 * the texts, named cleaning rules, the manifest templates). Plus finding a split's files,
 * checking the declared fields against them, and reading cleaned samples.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { getDataset, readSamples, sampleFiles } from "./mod.ts";
 *
 * const spec = getDataset("gsm8k");
 * const samples = readSamples(spec, sampleFiles(spec), { start: 0, count: 3 });
 * const items = await Array.fromAsync(samples);
 * assert.deepEqual(items.map((item) => item.index), [0, 1, 2]);
 * // Each item is a clean sample, or a one-line reason the row is skipped (`item.skip`).
 * assert.ok("sample" in items[0] && items[0].sample.prompt.startsWith("Natalia sold clips"));
 * ```
 *
 * @module
 */
import { basename, join } from "node:path";
import { readColumns, readRows } from "../readers/mod.ts";
import { firstLine } from "../errors/mod.ts";
import { parseFieldPath, topColumn } from "./_fields.ts";
import { BUILT_IN_DATASETS, knownDatasets } from "./_registry.ts";
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
  hasSplit,
  type LocalDatasetFile,
  localDatasetFiles,
  matchesAnyGlob,
  resolveDatasetFiles,
  splitFileGlobs,
  type SplitOptions,
} from "./_files.ts";
export {
  compileDeclaration,
  type CompileOptions,
  type DatasetDeclaration,
  datasetKeyProblem,
  DeclarationError,
  type DeclarationProblem,
  declarationProblems,
  type Globs,
} from "./_declaration.ts";
export {
  BUILTIN_DATASETS_FILE,
  datasetsProblems,
  declareDatasets,
  type DeclareOptions,
} from "./_registry.ts";
export { CLEAN_RULE_NAMES, CLEAN_RULES, type CleanRule, unwrapBoxed } from "./_rules.ts";
export { type FieldPath, parseFieldPath, readField } from "./_fields.ts";

/** The keys of the built-in datasets, e.g. `gsm8k`. */
export const DATASET_KEYS: readonly string[] = BUILT_IN_DATASETS.map((spec) => spec.key);

/** Every known dataset spec: the built-ins, then those declared in `videoword.jsonc`. */
export function listDatasets(): DatasetSpec[] {
  return knownDatasets();
}

/** The spec of `key`; an unknown key is an Error listing the valid ones. */
export function getDataset(key: string): DatasetSpec {
  const known = knownDatasets();
  const spec = known.find((candidate) => candidate.key === key);
  if (!spec) {
    throw new Error(`unknown dataset '${key}' (valid: ${known.map((s) => s.key).join(", ")})`);
  }
  return spec;
}

/**
 * Check that the first of `files` has the columns `spec`'s required fields start at; a field
 * it lacks is an Error listing the columns the file has (Parquet schema, or the keys of its
 * first JSON rows).
 */
export async function checkDatasetFields(spec: DatasetSpec, files: string[]): Promise<void> {
  if (files.length === 0) return;
  const columns = await readColumns(files[0]);
  // Nothing readable at the start: the rows will be skipped with their own reasons.
  if (columns.length === 0) return;
  const missing = spec.requiredFields.filter((field) =>
    !columns.includes(topColumn(parseFieldPath(field)))
  );
  if (missing.length > 0) {
    throw new Error(
      `${spec.key}: field${missing.length > 1 ? "s" : ""} ${
        missing.map((field) => `'${field}'`).join(", ")
      } not in ${basename(files[0])}, which has: ${columns.join(", ")}` +
        (spec.builtIn ? "" : ` (fix "fields" of datasets.${spec.key} in videoword.jsonc)`),
    );
  }
}

/** A cleaned row, or the reason the row at `index` was skipped (a short key, detail after `:`). */
export type SampleItem = { index: number; sample: Sample } | { index: number; skip: string };

/** Which rows to read: `[start, start + count)` of the split. */
export interface ReadSamplesOptions {
  start?: number;
  count?: number;
  /** Longest line read, in bytes; longer ones are skipped as "line too long" (unbuffered). */
  maxRecordBytes?: number;
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
      const reason = item.tooLong ? "line too long" : "unreadable row";
      yield { index: item.index, skip: `${reason}: ${item.error}` };
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

function samplesPath(spec: DatasetSpec): string {
  return join(import.meta.dirname!, "samples", `${spec.key}.jsonl`);
}

/** Whether the program embeds sample rows of `spec` (`--source samples`). */
export function hasSamples(spec: DatasetSpec): boolean {
  if (!spec.builtIn) return false;
  try {
    return Deno.statSync(samplesPath(spec)).isFile;
  } catch {
    return false;
  }
}

/**
 * The embedded sample rows of `spec` (for `--source samples`), shipped with the program; a
 * dataset without them is an Error.
 */
export function sampleFiles(spec: DatasetSpec): string[] {
  if (!hasSamples(spec)) {
    throw new Error(
      `${spec.key} has no embedded samples (--source samples): ` +
        (spec.builtIn
          ? `run: videoword download ${spec.key}`
          : "it is declared in videoword.jsonc; its own files are read"),
    );
  }
  return [samplesPath(spec)];
}
export {
  KNOWN_PLACEHOLDERS_ONLY,
  TEMPLATE_PLACEHOLDERS,
  unknownPlaceholder,
} from "./_templates.ts";
