import { writeFileAtomic } from "../atomic_write/mod.ts";
import { join } from "node:path";

/** One downloaded file as recorded in `manifest.json`. */
export interface ManifestFile {
  /** Path in the Hub repo, which is also the path under `DATA_DIR/DATASET`. */
  path: string;
  size: number;
  sha256: string;
}

/** `DATA_DIR/DATASET/manifest.json`: what a completed download holds. */
export interface DownloadManifest {
  /** The split's output name: the dataset key, `KEY-SPLIT` for a split other than train. */
  dataset: string;
  /** The split (absent in manifests written before splits existed: train). */
  split?: string;
  /** Hub repo id, e.g. `openai/gsm8k`. */
  repo: string;
  /** The revision asked for (e.g. `main`). */
  revision: string;
  /** The commit sha it resolved to. */
  commit: string;
  /** Hub endpoint it came from. */
  endpoint: string;
  /** ISO time the download completed. */
  downloadedAt: string;
  /** The split's files, sorted by path (the order rows are read in). */
  files: ManifestFile[];
  /** Exact row count of the split (`countRows` over `files` in order). */
  rowCount: number;
}

/** Name of the manifest file inside a dataset's folder. */
export const MANIFEST_NAME = "manifest.json";

/** `DATA_DIR/DATASET/manifest.json`. */
export function manifestFilePath(dataDir: string, dataset: string): string {
  return join(dataDir, dataset, MANIFEST_NAME);
}

function isManifest(value: unknown): value is DownloadManifest {
  const m = value as DownloadManifest;
  return typeof m === "object" && m !== null && typeof m.repo === "string" &&
    typeof m.commit === "string" && typeof m.revision === "string" &&
    Number.isInteger(m.rowCount) && m.rowCount >= 0 && Array.isArray(m.files) &&
    m.files.every((f) =>
      typeof f?.path === "string" && Number.isInteger(f.size) && typeof f.sha256 === "string"
    );
}

/**
 * The manifest of a completed download of `dataset` under `dataDir`, or null if there is none
 * (never downloaded, or interrupted). Throws a one-line Error if the file exists but is damaged.
 */
export async function readDownloadManifest(
  dataDir: string,
  dataset: string,
): Promise<DownloadManifest | null> {
  const path = manifestFilePath(dataDir, dataset);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${path} is not valid JSON: run \`videoword download ${dataset} --force\``);
  }
  if (!isManifest(value)) {
    throw new Error(`${path} is incomplete: run \`videoword download ${dataset} --force\``);
  }
  return value;
}

/** Write the manifest atomically (temp file in the same folder, then rename). */
export async function writeDownloadManifest(
  dataDir: string,
  manifest: DownloadManifest,
): Promise<string> {
  const path = manifestFilePath(dataDir, manifest.dataset);
  await writeFileAtomic(path, JSON.stringify(manifest, null, 2) + "\n");
  return path;
}

/** Remove the manifest (a forced or new download invalidates it). */
export async function removeDownloadManifest(dataDir: string, dataset: string): Promise<void> {
  try {
    await Deno.remove(manifestFilePath(dataDir, dataset));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}
