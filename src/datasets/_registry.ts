/**
 * The datasets videoword knows: the built-in declarations (`builtin_datasets.jsonc`, embedded in
 * the program) and those the user declares under `datasets` in `videoword.jsonc`. Adding a
 * built-in = one more entry in the data file (and its sample rows).
 */
import { join } from "node:path";
import { parse, type ParseError, printParseErrorCode } from "jsonc-parser";
import { compileDeclaration, DeclarationError, declarationProblems } from "./_declaration.ts";
import type { DatasetSpec } from "./_types.ts";

/** The embedded declarations file (listed in the compile task's `--include`). */
export const BUILTIN_DATASETS_FILE = join(import.meta.dirname!, "builtin_datasets.jsonc");

function loadBuiltIns(): DatasetSpec[] {
  const errors: ParseError[] = [];
  const text = Deno.readTextFileSync(BUILTIN_DATASETS_FILE);
  const data = parse(text, errors, { allowTrailingComma: true });
  if (errors.length > 0) {
    throw new Error(
      `${BUILTIN_DATASETS_FILE}: syntax error: ${printParseErrorCode(errors[0].error)}`,
    );
  }
  return Object.entries(data.datasets as Record<string, unknown>).map(([key, value]) =>
    compileDeclaration(key, value, {
      baseDir: import.meta.dirname!,
      builtIn: true,
      where: `${BUILTIN_DATASETS_FILE}: datasets.`,
    })
  );
}

/** Every built-in dataset, in the order `download --list` shows them. */
export const BUILT_IN_DATASETS: readonly DatasetSpec[] = loadBuiltIns();

/** The user's declared datasets (set once per command from its `videoword.jsonc`). */
let declared: DatasetSpec[] = [];

/** Options of {@linkcode declareDatasets}. */
export interface DeclareOptions {
  /** Relative local `files` resolve against this folder (the config file's). */
  baseDir: string;
  /** Prefix of error paths, e.g. `videoword.jsonc: datasets.`. */
  where?: string;
}

/** Problems of a `datasets` map (built-in keys may not be redeclared), with their key paths. */
export function datasetsProblems(
  declarations: Record<string, unknown>,
): { path: string[]; message: string }[] {
  const problems = [];
  for (const [key, value] of Object.entries(declarations)) {
    if (BUILT_IN_DATASETS.some((spec) => spec.key === key)) {
      problems.push({ path: [key], message: `'${key}' is a built-in dataset; choose another key` });
      continue;
    }
    problems.push(...declarationProblems(key, value));
  }
  return problems;
}

/**
 * Make the user's declarations (a `videoword.jsonc` `datasets` map) known alongside the
 * built-ins, replacing any declared before. Called once, where a command loads its config; an
 * invalid declaration throws a {@linkcode DeclarationError} naming its key path.
 */
export function declareDatasets(
  declarations: Record<string, unknown>,
  options: DeclareOptions,
): DatasetSpec[] {
  const problems = datasetsProblems(declarations);
  if (problems.length > 0) throw new DeclarationError(problems, options.where ?? "");
  declared = Object.entries(declarations).map(([key, value]) =>
    compileDeclaration(key, value, { ...options, builtIn: false })
  );
  return [...declared];
}

/** The built-ins, then the declared datasets. */
export function knownDatasets(): DatasetSpec[] {
  return [...BUILT_IN_DATASETS, ...declared];
}
