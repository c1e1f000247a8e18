/** Parse and validate `videoword.jsonc`; every error names file, line:col and key. */
import { dirname, resolve } from "node:path";
import { datasetsProblems, declareDatasets } from "../datasets/mod.ts";
import {
  findNodeAtLocation,
  getNodeValue,
  type Node,
  type ParseError,
  parseTree,
  printParseErrorCode,
} from "jsonc-parser";
import { UsageError } from "../errors/mod.ts";
import { CONFIG_SCHEMA, defaultConfig, type Rule, type VideowordConfig } from "./_schema.ts";

/**
 * A config problem, already formatted as `FILE:LINE:COL: key "a.b": message`; like a bad flag,
 * the command stops before any work (exit 2).
 */
export class ConfigError extends UsageError {
  /** 1-based line of the problem. */
  line: number;
  /** Dotted key path (`slurm.nodes`), empty for syntax errors. */
  key: string;
  constructor(file: string, line: number, col: number, key: string, message: string) {
    super(`${file}:${line}:${col}: ${key ? `key "${key}": ` : ""}${message}`);
    this.name = "ConfigError";
    this.line = line;
    this.key = key;
  }
}

function lineCol(text: string, offset: number): [number, number] {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return [line, offset - lineStart + 1];
}

function describe(node: Node): string {
  return node.type === "null" ? "null" : node.type;
}

/** Check `node` against `rule`; collect errors as (offset, key, message). */
function check(
  node: Node,
  rule: Rule,
  key: string,
  errors: Array<[number, string, string]>,
): void {
  const fail = (message: string): void => {
    errors.push([node.offset, key, message]);
  };
  switch (rule.type) {
    case "any":
      return;
    case "string":
      if (node.type !== "string") return fail(`expected a string, got ${describe(node)}`);
      if (rule.pattern && !rule.pattern.test(node.value)) {
        return fail(`"${node.value}" is not ${rule.hint ?? `like ${rule.pattern}`}`);
      }
      return;
    case "option": {
      const value = getNodeValue(node);
      const problem = rule.check(value);
      if (!problem) return;
      const got = node.type === "object" || node.type === "array"
        ? describe(node)
        : JSON.stringify(value);
      return fail(`${problem}, got ${got}`);
    }
    case "object":
    case "map": {
      if (node.type !== "object") return fail(`expected an object, got ${describe(node)}`);
      for (const prop of node.children ?? []) {
        const [keyNode, valueNode] = prop.children ?? [];
        if (!keyNode || !valueNode) continue;
        const name = String(keyNode.value);
        const path = key ? `${key}.${name}` : name;
        const sub = rule.type === "map" ? rule.values : rule.fields[name];
        const known = rule.type === "object" ? Object.keys(rule.fields) : rule.keys;
        if (!sub || (known && !known.includes(name))) {
          errors.push([keyNode.offset, path, `unknown key (known: ${known?.join(", ")})`]);
          continue;
        }
        check(valueNode, sub, path, errors);
      }
      return;
    }
  }
}

/** A loaded settings file: its templates and datasets, and what the file itself says. */
export interface LoadedConfig {
  config: VideowordConfig;
  /** The file's own values (no defaults): what option resolution lays over a preset. */
  values: Record<string, unknown>;
}

/**
 * Parse and check JSONC `text` (named `file` in messages).
 * Throws {@link ConfigError} on the first syntax or schema problem.
 */
export function parseConfig(text: string, file: string): VideowordConfig {
  return parseConfigFile(text, file).config;
}

/** {@link parseConfig}, also returning the file's own values. */
export function parseConfigFile(text: string, file: string): LoadedConfig {
  const parseErrors: ParseError[] = [];
  const root = parseTree(text, parseErrors, { allowTrailingComma: true, disallowComments: false });
  if (parseErrors.length > 0) {
    const first = parseErrors[0];
    const [line, col] = lineCol(text, first.offset);
    throw new ConfigError(file, line, col, "", `syntax error: ${printParseErrorCode(first.error)}`);
  }
  const config = defaultConfig();
  config.source = file;
  if (!root) return { config, values: {} }; // empty file (or only comments): defaults
  const errors: Array<[number, string, string]> = [];
  check(root, CONFIG_SCHEMA, "", errors);
  const datasets = findNodeAtLocation(root, ["datasets"]);
  if (errors.length === 0 && datasets?.type === "object") {
    for (const problem of datasetsProblems(getNodeValue(datasets))) {
      // The deepest node of the problem's key path that the file has.
      // List items are numbered in the problem's path; the tree is indexed by number.
      let path = ["datasets", ...problem.path].map((part) =>
        /^\d+$/.test(part) ? Number(part) : part
      );
      let node = findNodeAtLocation(root, path);
      while (!node && path.length > 1) {
        path = path.slice(0, -1);
        node = findNodeAtLocation(root, path);
      }
      const at = node?.parent?.type === "property" ? node.parent : node;
      errors.push([
        at?.offset ?? 0,
        ["datasets", ...problem.path].join("."),
        problem.message,
      ]);
    }
  }
  if (errors.length > 0) {
    const [offset, key, message] = errors[0];
    const [line, col] = lineCol(text, offset);
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
    throw new ConfigError(file, line, col, key, message + more);
  }
  // Round-trip: getNodeValue builds null-prototype objects.
  const values = JSON.parse(JSON.stringify(getNodeValue(root)));
  const own = JSON.parse(JSON.stringify(values));
  if (own.templates) config.templates = own.templates;
  if (own.datasets) config.datasets = own.datasets;
  return { config, values };
}

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /**
   * Folder the default `videoword.jsonc` is looked up in.
   * @default {"."} (the working directory)
   */
  cwd?: string;
}

/**
 * Load `path` (must exist), or `./videoword.jsonc` when it exists, else the defaults.
 * Throws {@link ConfigError} naming file, line and key for a bad file.
 */
export async function loadConfig(
  path?: string,
  options: LoadConfigOptions = {},
): Promise<VideowordConfig> {
  return (await loadConfigFile(path, options)).config;
}

/** {@link loadConfig}, also returning the file's own values. */
export async function loadConfigFile(
  path?: string,
  options: LoadConfigOptions = {},
): Promise<LoadedConfig> {
  const file = path ?? `${options.cwd ?? "."}/videoword.jsonc`;
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (error) {
    if (path === undefined && error instanceof Deno.errors.NotFound) {
      declareDatasets({}, { baseDir: "." });
      return { config: defaultConfig(), values: {} };
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot read config ${file}: ${reason}`);
  }
  const loaded = parseConfigFile(text, file);
  // The command's datasets: the built-ins and the ones this file declares (checked above).
  declareDatasets(loaded.config.datasets, { baseDir: dirname(resolve(file)) });
  return loaded;
}
