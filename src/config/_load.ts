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
import { CONFIG_SCHEMA, defaultConfig, type Rule, type VideowordConfig } from "./_schema.ts";

/** A config problem, already formatted as `FILE:LINE:COL: key "a.b": message`. */
export class ConfigError extends Error {
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
  if (node.type === "null" && "nullable" in rule && rule.nullable) return;
  switch (rule.type) {
    case "any":
      return;
    case "string":
      if (node.type !== "string") return fail(`expected a string, got ${describe(node)}`);
      if (rule.pattern && !rule.pattern.test(node.value)) {
        return fail(`"${node.value}" is not ${rule.hint ?? `like ${rule.pattern}`}`);
      }
      if (rule.oneOf && !rule.oneOf.includes(node.value)) {
        return fail(`"${node.value}" must be one of ${rule.oneOf.join(", ")}`);
      }
      return;
    case "integer": {
      if (node.type !== "number" || !Number.isInteger(node.value)) {
        return fail(`expected an integer, got ${describe(node)} ${JSON.stringify(node.value)}`);
      }
      if (rule.min !== undefined && node.value < rule.min) return fail(`must be ≥ ${rule.min}`);
      if (rule.max !== undefined && node.value > rule.max) return fail(`must be ≤ ${rule.max}`);
      return;
    }
    case "string[]":
      if (node.type !== "array") return fail(`expected an array of strings, got ${describe(node)}`);
      for (const [i, item] of (node.children ?? []).entries()) {
        if (item.type !== "string") {
          errors.push([item.offset, `${key}[${i}]`, `expected a string, got ${describe(item)}`]);
        }
      }
      return;
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

/** Deep-merge plain objects; arrays and scalars replace. */
function merge(base: Record<string, unknown>, over: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(over)) {
    const current = base[k];
    if (
      v && typeof v === "object" && !Array.isArray(v) && current && typeof current === "object" &&
      !Array.isArray(current)
    ) {
      merge(current as Record<string, unknown>, v as Record<string, unknown>);
    } else {
      base[k] = v;
    }
  }
}

/** A loaded settings file: merged over the defaults, and what the file itself says. */
export interface LoadedConfig {
  config: VideowordConfig;
  /** The file's own values (no defaults): what option resolution lays over a preset. */
  values: Record<string, unknown>;
}

/**
 * Parse JSONC `text` (named `file` in messages) over the defaults.
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
  merge(config as unknown as Record<string, unknown>, JSON.parse(JSON.stringify(values)));
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
