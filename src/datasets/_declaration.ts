/**
 * Dataset declarations: the plain-data form of a dataset (built in, or a user's `datasets`
 * entry in `videoword.jsonc`), checked key by key and compiled into a {@linkcode DatasetSpec}.
 */
import { isAbsolute, resolve } from "node:path";
import { DEFAULT_SPLIT, splitNameProblem } from "../paths/mod.ts";
import { finish, normalizeText, tidyLines } from "./_clean.ts";
import { type FieldPath, parseFieldPath, readField } from "./_fields.ts";
import { applyRules, CLEAN_RULE_NAMES, CLEAN_RULES, type CleanRule, partsOf } from "./_rules.ts";
import { splitStory } from "./_story.ts";
import { DEFAULT_TEMPLATES, TEMPLATE_PLACEHOLDERS, unknownPlaceholder } from "./_templates.ts";
import type { CleanResult, DatasetKind, DatasetSpec, Language } from "./_types.ts";

/** Glob patterns: one, or a list. */
export type Globs = string | string[];

/**
 * One dataset as data. Either local `files` or a `hub` repo (with `config` and `splits`).
 *
 * @example
 * ```jsonc
 * {
 *   "files": ["/data/my_math/*.jsonl"],
 *   "kind": "math",
 *   "language": "en",
 *   "fields": { "prompt": "problem.text", "answer": "solution" },
 *   "clean": ["unwrap_boxed"],
 *   "license": "CC-BY-4.0"
 * }
 * ```
 */
export interface DatasetDeclaration {
  /** Local files of the train split, or `{ SPLIT: globs }`; relative paths: from the config file. */
  files?: Globs | Record<string, Globs>;
  /** Hub dataset repo id, `owner/name`. */
  hub?: string;
  /** Hub dataset config (the folder its Parquet files are in, e.g. `main`). */
  config?: string;
  /**
   * Repo-path globs of each split. Default: `CONFIG/SPLIT-*.parquet`, or `data/SPLIT-*.parquet`
   * without a config.
   */
  splits?: Record<string, Globs>;
  /** `math`: prompt + answer; `story`: opening + continuation of one text. */
  kind: DatasetKind;
  /** `en` or `zh`: fonts, reveal units, sentence rules, TTS voice, default templates. */
  language: Language;
  /**
   * Math: `prompt` and `answer`; story: `text`. Each a field path or a list of them (joined by
   * a newline); `a.b` reaches nested fields, `list[key=value]` picks a list item, a trailing `?`
   * makes a field optional.
   */
  fields: Record<string, Globs>;
  /**
   * Named cleaning rules, applied in order.
   * @default {[]}
   */
  clean?: string[];
  /** Licence of the data, e.g. `MIT`. */
  license?: string;
  /** Size hint shown by `download --list`, e.g. `7.5k rows, 4 MB`. */
  size?: string;
  /** Manifest templates; any left out come from the kind and language. */
  templates?: {
    inference?: string;
    rendering?: string;
    audio_inference?: string;
    audio_rendering?: string;
  };
}

/** One problem of a declaration: the key path (`datasets.my_math.kind`) and what is wrong. */
export interface DeclarationProblem {
  path: string[];
  message: string;
}

const DECLARATION_KEYS = [
  "files",
  "hub",
  "config",
  "splits",
  "kind",
  "language",
  "fields",
  "clean",
  "license",
  "size",
  "templates",
];
const KINDS: readonly DatasetKind[] = ["math", "story"];
const LANGUAGES: readonly Language[] = ["en", "zh"];
const FIELDS_OF: Record<DatasetKind, string[]> = { math: ["prompt", "answer"], story: ["text"] };
const TEMPLATE_KEYS = ["inference", "rendering", "audio_inference", "audio_rendering"];
/** Dataset keys: lower-case words joined by `_` (they name folders and files). */
const KEY_PATTERN = /^[a-z0-9]+(?:_[a-z0-9]+)*$/;
const REPO_PATTERN = /^[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*$/;

function typeName(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Why `key` cannot name a dataset, or `undefined`. */
export function datasetKeyProblem(key: string): string | undefined {
  if (key === "all") return "'all' means every dataset; choose another key";
  if (!KEY_PATTERN.test(key)) {
    return `dataset key '${key}' must be lower-case letters and digits joined by '_' ` +
      `(it names folders and files)`;
  }
  return undefined;
}

/**
 * Every problem of the declaration `value` of `key` (empty: it compiles). Paths start with
 * `key`: unknown keys, kinds, languages, rules, fields; malformed globs, paths and splits.
 */
export function declarationProblems(key: string, value: unknown): DeclarationProblem[] {
  const problems: DeclarationProblem[] = [];
  const fail = (path: string[], message: string) =>
    problems.push({ path: [key, ...path], message });
  const keyProblem = datasetKeyProblem(key);
  if (keyProblem) fail([], keyProblem);
  if (!isObject(value)) {
    fail([], `expected an object (a dataset declaration), got ${typeName(value)}`);
    return problems;
  }
  for (const name of Object.keys(value)) {
    if (!DECLARATION_KEYS.includes(name)) {
      fail([name], `unknown key (known: ${DECLARATION_KEYS.join(", ")})`);
    }
  }
  const globs = (path: string[], globsValue: unknown) => {
    const list = typeof globsValue === "string" ? [globsValue] : globsValue;
    if (
      !Array.isArray(list) || list.length === 0 || list.some((g) => typeof g !== "string" || !g)
    ) {
      fail(path, `expected a glob or a non-empty list of globs, got ${typeName(globsValue)}`);
    }
  };
  const splitMap = (path: string[], map: unknown) => {
    if (!isObject(map)) return fail(path, `expected { "SPLIT": globs }, got ${typeName(map)}`);
    if (Object.keys(map).length === 0) fail(path, "declares no split");
    for (const [split, patterns] of Object.entries(map)) {
      const problem = splitNameProblem(split);
      if (problem) fail([...path, split], problem);
      globs([...path, split], patterns);
    }
  };
  const text = (name: string) => {
    if (name in value && (typeof value[name] !== "string" || !value[name])) {
      fail([name], `expected a non-empty string, got ${typeName(value[name])}`);
    }
  };
  ["hub", "config", "license", "size"].forEach(text);

  const hasFiles = "files" in value;
  const hasHub = "hub" in value;
  if (hasFiles === hasHub) {
    fail(
      [],
      hasFiles
        ? "give either local 'files' or a 'hub' repo, not both"
        : "needs 'files' (local) or 'hub' (a Hub dataset repo)",
    );
  }
  if (hasFiles) {
    if (isObject(value.files)) splitMap(["files"], value.files);
    else globs(["files"], value.files);
    for (const name of ["config", "splits"]) {
      if (name in value) {
        fail([name], `'${name}' is for Hub datasets; local 'files' take { "SPLIT": globs }`);
      }
    }
  }
  if (hasHub && typeof value.hub === "string" && !REPO_PATTERN.test(value.hub)) {
    fail(["hub"], `'${value.hub}' is not a Hub repo id (owner/name)`);
  }
  if ("splits" in value && hasHub) splitMap(["splits"], value.splits);

  const kind = value.kind as DatasetKind;
  if (!("kind" in value)) fail(["kind"], `missing (one of ${KINDS.join(", ")})`);
  else if (!KINDS.includes(kind)) {
    fail(["kind"], `${JSON.stringify(kind)} must be one of ${KINDS.join(", ")}`);
  }
  if (!("language" in value)) fail(["language"], `missing (one of ${LANGUAGES.join(", ")})`);
  else if (!LANGUAGES.includes(value.language as Language)) {
    fail(["language"], `${JSON.stringify(value.language)} must be one of ${LANGUAGES.join(", ")}`);
  }

  const wanted = KINDS.includes(kind) ? FIELDS_OF[kind] : undefined;
  if (!isObject(value.fields)) {
    fail(
      ["fields"],
      `expected { ${
        (wanted ?? ["prompt", "answer"]).map((f) => `"${f}": PATH`).join(", ")
      } }, got ${typeName(value.fields)}`,
    );
  } else if (wanted) {
    for (const [name, paths] of Object.entries(value.fields)) {
      if (!wanted.includes(name)) {
        fail(["fields", name], `unknown field for a ${kind} dataset (known: ${wanted.join(", ")})`);
        continue;
      }
      const list = typeof paths === "string" ? [paths] : paths;
      if (!Array.isArray(list) || list.length === 0 || (kind === "story" && list.length > 1)) {
        fail(
          ["fields", name],
          kind === "story" ? "expected one field path" : "expected a field path or a list of them",
        );
        continue;
      }
      for (const path of list) {
        try {
          if (typeof path !== "string") {
            throw new Error(`expected a field path, got ${typeName(path)}`);
          }
          parseFieldPath(path);
        } catch (error) {
          fail(["fields", name], (error as Error).message);
        }
      }
      if (list.every((path) => typeof path === "string" && path.endsWith("?"))) {
        fail(["fields", name], "needs at least one field that is not optional ('?')");
      }
    }
    for (const name of wanted) {
      if (!(name in value.fields)) {
        fail(["fields", name], `missing: which field holds the ${name}?`);
      }
    }
  }

  if ("clean" in value) {
    if (!Array.isArray(value.clean)) {
      fail(["clean"], `expected a list of rule names, got ${typeName(value.clean)}`);
    } else {
      for (const [i, name] of value.clean.entries()) {
        const rule = typeof name === "string" ? CLEAN_RULES[name] : undefined;
        if (!rule) {
          fail(
            ["clean", String(i)],
            `unknown rule ${JSON.stringify(name)} (known: ${CLEAN_RULE_NAMES.join(", ")})`,
          );
        } else if (
          KINDS.includes(kind) && !rule.parts.some((part) => partsOf(kind).includes(part))
        ) {
          fail(
            ["clean", String(i)],
            `rule '${name}' rewrites ${
              rule.parts.join("/")
            } texts, which a ${kind} dataset has none of`,
          );
        }
      }
    }
  }
  if ("templates" in value) {
    if (!isObject(value.templates)) {
      fail(["templates"], `expected an object, got ${typeName(value.templates)}`);
    } else {
      for (const [name, template] of Object.entries(value.templates)) {
        if (!TEMPLATE_KEYS.includes(name)) {
          fail(["templates", name], `unknown key (known: ${TEMPLATE_KEYS.join(", ")})`);
        } else if (typeof template !== "string") {
          fail(["templates", name], `expected a string, got ${typeName(template)}`);
        } else if (unknownPlaceholder(template)) {
          fail(
            ["templates", name],
            `unknown placeholder ${unknownPlaceholder(template)} (known: ${
              TEMPLATE_PLACEHOLDERS.map((p) => `{${p}}`).join(", ")
            })`,
          );
        }
      }
    }
  }
  return problems;
}

/** An invalid declaration: every problem, one per line after the first. */
export class DeclarationError extends Error {
  /** The problems, with their key paths. */
  problems: DeclarationProblem[];
  constructor(problems: DeclarationProblem[], where: string) {
    const lines = problems.map((p) => `${where}${p.path.join(".")}: ${p.message}`);
    super(lines.length === 1 ? lines[0] : `${lines[0]} (and ${lines.length - 1} more)`);
    this.name = "DeclarationError";
    this.problems = problems;
  }
}

/** Options of {@linkcode compileDeclaration}. */
export interface CompileOptions {
  /** Relative local `files` resolve against this folder (the config file's). */
  baseDir: string;
  builtIn: boolean;
  /** Prefix of error paths, e.g. `videoword.jsonc: datasets.`. */
  where?: string;
}

function globList(value: Globs): string[] {
  return typeof value === "string" ? [value] : [...value];
}

/** Minimum prompt/response lengths, in characters, by kind and language. */
function minLengths(kind: DatasetKind, language: Language): { prompt: number; response: number } {
  if (kind === "story") return { prompt: 4, response: 2 };
  return language === "en" ? { prompt: 10, response: 1 } : { prompt: 4, response: 1 };
}

/** Read, normalise, rewrite and tidy the texts at `paths`, joined by newlines. */
function readText(
  row: unknown,
  paths: FieldPath[],
  options: { clean: (text: string) => string; numbers: boolean },
): { ok: true; value: string } | { ok: false; reason: string } {
  const { clean } = options;
  const parts: string[] = [];
  for (const path of paths) {
    const field = readField(row, path, { numbers: options.numbers });
    if (!field.ok) {
      if (path.optional) continue;
      return field;
    }
    parts.push(clean(field.value));
  }
  return { ok: true, value: parts.filter((part) => part.length > 0).join("\n") };
}

/** Check `value` and compile it into the spec of dataset `key`; problems throw a DeclarationError. */
export function compileDeclaration(
  key: string,
  value: unknown,
  options: CompileOptions,
): DatasetSpec {
  const problems = declarationProblems(key, value);
  if (problems.length > 0) throw new DeclarationError(problems, options.where ?? "");
  const declaration = value as DatasetDeclaration;
  const { kind, language } = declaration;
  const rules: CleanRule[] = (declaration.clean ?? []).map((name) => CLEAN_RULES[name]);
  const paths = Object.fromEntries(
    Object.entries(declaration.fields).map(([name, list]) => [
      name,
      globList(list).map(parseFieldPath),
    ]),
  );
  const min = minLengths(kind, language);
  let clean: (row: unknown) => CleanResult;
  if (kind === "math") {
    const rewrite = (part: "prompt" | "answer") => (text: string) =>
      tidyLines(applyRules(normalizeText(text), rules, { part, language }));
    const numbers = rules.some((rule) => rule.numericAnswer);
    clean = (row) => {
      const question = readText(row, paths.prompt, { clean: rewrite("prompt"), numbers: false });
      if (!question.ok) return question;
      const solution = readText(row, paths.answer, { clean: rewrite("answer"), numbers });
      if (!solution.ok) return solution;
      return finish(question.value, solution.value, min);
    };
  } else {
    const [path] = paths.text;
    clean = (row) => {
      const text = readField(row, path);
      if (!text.ok) return text;
      const story = applyRules(normalizeText(text.value), rules, { part: "story", language });
      return splitStory(story, language);
    };
  }

  let splits: Record<string, string[]>;
  if (declaration.files !== undefined) {
    const files = typeof declaration.files === "string" || Array.isArray(declaration.files)
      ? { [DEFAULT_SPLIT]: declaration.files }
      : declaration.files;
    splits = Object.fromEntries(
      Object.entries(files).map(([split, globs]) => [
        split,
        globList(globs).map((glob) => isAbsolute(glob) ? glob : resolve(options.baseDir, glob)),
      ]),
    );
  } else {
    splits = Object.fromEntries(
      Object.entries(declaration.splits ?? {}).map(([split, globs]) => [split, globList(globs)]),
    );
  }
  const defaults = DEFAULT_TEMPLATES[language][kind];
  const templates = declaration.templates ?? {};
  return {
    key,
    repo: declaration.hub ?? null,
    config: declaration.config ?? null,
    language,
    kind,
    approxSize: declaration.size ?? "?",
    files: splitGlobs(
      { repo: declaration.hub ?? null, config: declaration.config ?? null, splits },
      DEFAULT_SPLIT,
    ) ?? [],
    splits,
    license: declaration.license ?? "unknown",
    builtIn: options.builtIn,
    requiredFields: Object.values(paths).flat().filter((p) => !p.optional).map((p) => p.text),
    clean,
    templates: {
      inference: templates.inference ?? defaults.inference,
      rendering: templates.rendering ?? defaults.rendering,
      audioInference: templates.audio_inference ?? defaults.audioInference,
      audioRendering: templates.audio_rendering ?? defaults.audioRendering,
    },
  };
}

/**
 * The file globs of `split`: the declared ones, or for a Hub dataset that declares no splits
 * the Hub's Parquet layout (`CONFIG/SPLIT-*.parquet`, `data/SPLIT-*.parquet`); `null` when the
 * dataset has no such split.
 */
export function splitGlobs(
  spec: Pick<DatasetSpec, "repo" | "config" | "splits">,
  split: string,
): string[] | null {
  if (Object.keys(spec.splits).length > 0) return spec.splits[split] ?? null;
  if (spec.repo === null) return null;
  return [`${spec.config ?? "data"}/${split}-*.parquet`];
}
