import { join, resolve } from "node:path";
import {
  type DatasetSpec,
  localDatasetFiles,
  matchesAnyGlob,
  splitFileGlobs,
} from "../datasets/mod.ts";
import { DEFAULT_SPLIT, splitOutputName } from "../paths/mod.ts";
import { countRows } from "../readers/mod.ts";
import type { HubClient, HubTreeEntry } from "./_client.ts";
import type { ExpectedFile } from "./_file_download.ts";
import { downloadFiles } from "./_files_download.ts";
import {
  type DownloadManifest,
  type ManifestFile,
  readDownloadManifest,
  removeDownloadManifest,
  writeDownloadManifest,
} from "./_manifest.ts";
import { createProgress, type Progress } from "../progress/mod.ts";
import { localRepoPath, unsafeRepoPathReason } from "./_repo_path.ts";

/** The revision downloaded when none is asked for. */
export const DEFAULT_REVISION = "main";

/** Options of {@linkcode downloadDataset}. */
export interface DownloadDatasetOptions {
  /** Files land in `dataDir/<key>/<repo path>` (`dataDir/<key>-<split>/…` for other splits). */
  dataDir: string;
  /**
   * The split to fetch.
   * @default {"train"}
   */
  split?: string;
  /** Branch, tag or commit. Default {@linkcode DEFAULT_REVISION}; unset also accepts any complete download. */
  revision?: string;
  /** Fetch everything again even if a complete download is there. */
  force?: boolean;
  /**
   * Files fetched at once.
   * @default {4}
   */
  concurrency?: number;
  /** Default: bars on a terminal, a plain line every 5 s otherwise. */
  progress?: Progress;
}

/** What {@linkcode downloadDataset} did. */
export interface DatasetDownloadResult {
  /** `skipped`: a complete download was already there. */
  status: "downloaded" | "skipped";
  manifest: DownloadManifest;
  /** Bytes received over the network in this run. */
  transferred: number;
}

/** Local state of a dataset, for `download --list`. */
export type DatasetState =
  | { state: "complete"; manifest: DownloadManifest }
  | { state: "partial" }
  | { state: "missing" };

async function sizeOf(path: string): Promise<number | null> {
  try {
    return (await Deno.stat(path)).size;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

/** True if every file the manifest lists is on disk with its recorded size. */
async function filesPresent(root: string, manifest: DownloadManifest): Promise<boolean> {
  for (const file of manifest.files) {
    if (unsafeRepoPathReason(file.path)) return false;
    if (await sizeOf(join(root, file.path)) !== file.size) return false;
  }
  return true;
}

/** Options of {@linkcode datasetState}. */
export interface DatasetStateOptions {
  /**
   * The split.
   * @default {"train"}
   */
  split?: string;
}

/** Whether a split of `spec` is downloaded completely under `dataDir`, partly, or not at all. */
export async function datasetState(
  dataDir: string,
  spec: DatasetSpec,
  options: DatasetStateOptions = {},
): Promise<DatasetState> {
  const name = splitOutputName(spec.key, options.split);
  const root = resolve(dataDir, name);
  let manifest: DownloadManifest | null = null;
  try {
    manifest = await readDownloadManifest(dataDir, name);
  } catch {
    // A damaged manifest means the download must be redone: same as partial.
  }
  if (manifest && manifest.repo === spec.repo && await filesPresent(root, manifest)) {
    return { state: "complete", manifest };
  }
  try {
    for await (const _ of Deno.readDir(root)) return { state: "partial" };
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return { state: "missing" };
}

/** The tree entries matching `globs`: every listed path must be safe, and some must match. */
function selectFiles(
  repo: string,
  globs: string[],
  listing: { entries: HubTreeEntry[]; commit: string },
): HubTreeEntry[] {
  const { entries, commit } = listing;
  for (const entry of entries) {
    const reason = unsafeRepoPathReason(entry.path);
    if (reason) {
      throw new Error(
        `${repo}: refusing unsafe path from the Hub (${reason}): ${JSON.stringify(entry.path)}`,
      );
    }
  }
  const files = entries.filter((entry) =>
    entry.type === "file" && matchesAnyGlob(entry.path, globs)
  );
  if (files.length === 0) {
    throw new Error(
      `${repo}@${commit.slice(0, 12)} has no files matching ${globs.join(", ")}`,
    );
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function expectedOf(entry: HubTreeEntry): ExpectedFile {
  if (entry.lfs) return { size: entry.lfs.size, sha256: entry.lfs.oid };
  if (typeof entry.size !== "number") {
    throw new Error(`the Hub listed ${entry.path} without a size`);
  }
  return { size: entry.size, gitSha1: entry.oid };
}

/**
 * Download one split of `spec` (default train) into `dataDir/<key>/` (`dataDir/<key>-<split>/`
 * for other splits): resolve the revision to a commit, list the repo, fetch the files matching
 * the split's globs (a few at once, resuming partial files), drop stale matching files, count
 * rows and write `manifest.json`. A complete download already there is kept unless `force`.
 */
export async function downloadDataset(
  client: HubClient,
  spec: DatasetSpec,
  options: DownloadDatasetOptions,
): Promise<DatasetDownloadResult> {
  const split = options.split ?? DEFAULT_SPLIT;
  const globs = splitFileGlobs(spec, split);
  const repo = spec.repo;
  if (repo === null) {
    throw new Error(
      `${spec.key} is declared with local files (${globs.join(", ")}): nothing to download`,
    );
  }
  const name = splitOutputName(spec.key, split);
  const root = resolve(options.dataDir, name);
  if (!options.force) {
    const state = await datasetState(options.dataDir, spec, { split });
    const wanted = options.revision;
    if (
      state.state === "complete" &&
      (wanted === undefined || wanted === state.manifest.revision ||
        state.manifest.commit.startsWith(wanted))
    ) {
      return { status: "skipped", manifest: state.manifest, transferred: 0 };
    }
  }

  const revision = options.revision ?? DEFAULT_REVISION;
  const commit = await client.resolveRevision({ repo, revision });
  const ref = { repo, revision: commit };
  const selected = selectFiles(repo, globs, { entries: await client.listTree(ref), commit });
  const plan = selected.map((entry) => ({
    entry,
    dest: localRepoPath(root, entry.path),
    expected: expectedOf(entry),
  }));

  // From here on the files change: the old manifest no longer describes them.
  await removeDownloadManifest(options.dataDir, name);
  const downloaded = await downloadFiles(
    client,
    ref,
    plan.map((item) => ({ path: item.entry.path, dest: item.dest, expected: item.expected })),
    {
      label: name,
      progress: options.progress ?? createProgress({ intervalMs: 5000 }),
      concurrency: options.concurrency ?? 4,
      force: options.force,
    },
  );

  // Files of an older revision that match the globs would be read by `render`: remove them.
  const wanted = new Set(selected.map((entry) => entry.path));
  for (const file of await localDatasetFiles(spec, options.dataDir, { split })) {
    if (!wanted.has(file.repoPath)) await Deno.remove(file.path);
  }

  const files: ManifestFile[] = plan.map((item, i) => ({
    path: item.entry.path,
    size: downloaded[i].size,
    sha256: downloaded[i].sha256,
  }));
  const manifest: DownloadManifest = {
    dataset: name,
    split,
    repo,
    revision,
    commit,
    endpoint: client.config.endpoint,
    downloadedAt: new Date().toISOString(),
    files,
    rowCount: await countRows(plan.map((item) => item.dest)),
  };
  await writeDownloadManifest(options.dataDir, manifest);
  return {
    status: "downloaded",
    manifest,
    transferred: downloaded.reduce((sum, file) => sum + file.transferred, 0),
  };
}
