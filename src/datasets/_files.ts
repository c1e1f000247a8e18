/** Finding a dataset split's files on disk: downloaded Hub files, or a declaration's local files. */
import { dirname, join, relative, resolve, sep } from "node:path";
import { DEFAULT_SPLIT, splitOutputName } from "../paths/mod.ts";
import { splitGlobs } from "./_declaration.ts";
import type { DatasetSpec } from "./_types.ts";

/**
 * Turn a repo-path glob into an anchored RegExp: `*` and `?` stay inside one path segment,
 * `**` spans segments, `[...]` is a character class.
 */
export function globToRegExp(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === "*") {
      if (pattern[i + 1] === "*") {
        // `**/` matches zero or more whole segments; a bare `**` anything at all.
        if (pattern[i + 2] === "/") {
          source += "(?:.*/)?";
          i += 2;
        } else {
          source += ".*";
          i += 1;
        }
      } else {
        source += "[^/]*";
      }
    } else if (char === "?") {
      source += "[^/]";
    } else if (char === "[") {
      const close = pattern.indexOf("]", i + 2);
      if (close === -1) {
        source += "\\[";
      } else {
        let body = pattern.slice(i + 1, close);
        if (body.startsWith("!")) body = "^" + body.slice(1);
        source += `[${body.replaceAll("\\", "\\\\")}]`;
        i = close;
      }
    } else {
      source += char.replace(/[.+^${}()|\\\]]/g, "\\$&");
    }
  }
  return new RegExp(`^${source}$`);
}

/** True if `path` matches at least one of `patterns`. */
export function matchesAnyGlob(path: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => globToRegExp(pattern).test(path));
}

async function* walk(dir: string): AsyncGenerator<string> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* walk(path);
    else if (entry.isFile || entry.isSymlink) yield path;
  }
}

/** A file of a dataset on disk: its path in the Hub repo (or its own path) and its absolute path. */
export interface LocalDatasetFile {
  repoPath: string;
  path: string;
}

/** Which split's files. */
export interface SplitOptions {
  /**
   * The split.
   * @default {"train"}
   */
  split?: string;
}

function byRepoPath(a: LocalDatasetFile, b: LocalDatasetFile): number {
  return a.repoPath < b.repoPath ? -1 : a.repoPath > b.repoPath ? 1 : 0;
}

/** Whether `spec` has `split` (declared, or assumed for a Hub dataset declaring none). */
export function hasSplit(spec: DatasetSpec, split: string): boolean {
  return splitGlobs(spec, split) !== null;
}

/** The globs of `split`, or an Error naming the splits the dataset declares. */
export function splitFileGlobs(spec: DatasetSpec, split: string = DEFAULT_SPLIT): string[] {
  const globs = splitGlobs(spec, split);
  if (!globs) {
    throw new Error(
      `${spec.key} has no split '${split}' (declared: ${Object.keys(spec.splits).join(", ")})`,
    );
  }
  return globs;
}

/** The folder of the first glob character's path segment: where a local glob's walk starts. */
function globRoot(pattern: string): string {
  const wild = pattern.search(/[*?[]/);
  return wild < 0 ? dirname(pattern) : dirname(pattern.slice(0, wild) + "x");
}

/**
 * The files of `split` of `spec`: for a Hub dataset those under `dataDir/OUTPUT_NAME/`
 * (`gsm8k`, `gsm8k-test`) matching the split's repo-path globs; for local files those matching
 * its absolute globs. Sorted by (repo) path.
 */
export async function localDatasetFiles(
  spec: DatasetSpec,
  dataDir: string,
  options: SplitOptions = {},
): Promise<LocalDatasetFile[]> {
  const globs = splitFileGlobs(spec, options.split);
  const found: LocalDatasetFile[] = [];
  if (spec.repo === null) {
    const seen = new Set<string>();
    for (const pattern of globs) {
      if (!/[*?[]/.test(pattern)) {
        // A plain path: no walk.
        const stat = await Deno.stat(pattern).catch(() => null);
        if (stat?.isFile && !seen.has(pattern)) {
          seen.add(pattern);
          found.push({ repoPath: pattern.split(sep).join("/"), path: pattern });
        }
        continue;
      }
      const regex = globToRegExp(pattern.split(sep).join("/"));
      for await (const path of walk(globRoot(pattern))) {
        const slashed = path.split(sep).join("/");
        if (!seen.has(path) && regex.test(slashed)) {
          seen.add(path);
          found.push({ repoPath: slashed, path });
        }
      }
    }
    return found.sort(byRepoPath);
  }
  const root = resolve(dataDir, splitOutputName(spec.key, options.split));
  for await (const path of walk(root)) {
    const repoPath = relative(root, path).split(sep).join("/");
    if (matchesAnyGlob(repoPath, globs)) found.push({ repoPath, path });
  }
  return found.sort(byRepoPath);
}

/**
 * Absolute paths of the files of `split`, sorted by (repo) path. None → an Error naming the
 * download command (or, for local files, the globs that matched nothing).
 */
export async function resolveDatasetFiles(
  spec: DatasetSpec,
  dataDir: string,
  options: SplitOptions = {},
): Promise<string[]> {
  const found = await localDatasetFiles(spec, dataDir, options);
  if (found.length === 0) {
    const globs = splitFileGlobs(spec, options.split);
    if (spec.repo === null) {
      throw new Error(`no ${spec.key} files match ${globs.join(", ")}`);
    }
    const split = options.split ?? DEFAULT_SPLIT;
    const splitFlag = split === DEFAULT_SPLIT ? "" : ` --split ${split}`;
    throw new Error(
      `no ${spec.key} files (${globs.join(", ")}) under ${
        resolve(dataDir, splitOutputName(spec.key, split))
      }; run: videoword download ${spec.key}${splitFlag} --data-dir ${resolve(dataDir)}`,
    );
  }
  return found.map((file) => file.path);
}
