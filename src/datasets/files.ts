/** Finding a dataset's downloaded files on disk by the spec's repo-path globs. */
import { join, relative, resolve, sep } from "node:path";
import type { DatasetSpec } from "./types.ts";

/** Anchored RegExp for a repo-path glob: `*`/`?` stay in one segment, `**` spans segments. */
export function globRegExp(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === "*" && pattern[i + 1] === "*") {
      source += pattern[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += pattern[i + 2] === "/" ? 2 : 1;
    } else if (char === "*") {
      source += "[^/]*";
    } else if (char === "?") {
      source += "[^/]";
    } else {
      source += char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    }
  }
  return new RegExp(`^${source}$`);
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

/**
 * Absolute paths under `dataDir/<key>/` matching the spec's file globs, sorted by repo path.
 * None → an Error naming the download command.
 */
export async function resolveDatasetFiles(spec: DatasetSpec, dataDir: string): Promise<string[]> {
  const root = resolve(dataDir, spec.key);
  const patterns = spec.files.map(globRegExp);
  const found: { repoPath: string; path: string }[] = [];
  for await (const path of walk(root)) {
    const repoPath = relative(root, path).split(sep).join("/");
    if (patterns.some((pattern) => pattern.test(repoPath))) found.push({ repoPath, path });
  }
  if (found.length === 0) {
    throw new Error(
      `no ${spec.key} files (${
        spec.files.join(", ")
      }) under ${root}; run: videoword download ${spec.key} --data-dir ${resolve(dataDir)}`,
    );
  }
  found.sort((a, b) => (a.repoPath < b.repoPath ? -1 : a.repoPath > b.repoPath ? 1 : 0));
  return found.map((file) => file.path);
}
