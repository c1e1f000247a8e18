/** Finding a dataset's downloaded files on disk by the spec's repo-path globs. */
import { join, relative, resolve, sep } from "node:path";
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

/** A file of a dataset on disk: its path in the Hub repo and its absolute local path. */
export interface LocalDatasetFile {
  repoPath: string;
  path: string;
}

/** The files under `dataDir/<key>/` matching the spec's globs, sorted by repo path. */
export async function localDatasetFiles(
  spec: DatasetSpec,
  dataDir: string,
): Promise<LocalDatasetFile[]> {
  const root = resolve(dataDir, spec.key);
  const found: LocalDatasetFile[] = [];
  for await (const path of walk(root)) {
    const repoPath = relative(root, path).split(sep).join("/");
    if (matchesAnyGlob(repoPath, spec.files)) found.push({ repoPath, path });
  }
  found.sort((a, b) => (a.repoPath < b.repoPath ? -1 : a.repoPath > b.repoPath ? 1 : 0));
  return found;
}

/**
 * Absolute paths under `dataDir/<key>/` matching the spec's file globs, sorted by repo path.
 * None → an Error naming the download command.
 */
export async function resolveDatasetFiles(spec: DatasetSpec, dataDir: string): Promise<string[]> {
  const found = await localDatasetFiles(spec, dataDir);
  if (found.length === 0) {
    throw new Error(
      `no ${spec.key} files (${spec.files.join(", ")}) under ${
        resolve(dataDir, spec.key)
      }; run: videoword download ${spec.key} --data-dir ${resolve(dataDir)}`,
    );
  }
  return found.map((file) => file.path);
}
