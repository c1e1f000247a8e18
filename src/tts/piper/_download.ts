import { join, resolve } from "node:path";
import { writeFileAtomic } from "../../atomic_write/mod.ts";
import { DEFAULT_REVISION, downloadFiles, type HubClient } from "../../hub/mod.ts";
import { createProgress, type Progress } from "../../progress/mod.ts";
import { PIPER_VOICES_REPO, voiceRepoPaths } from "./_voices.ts";

/** `DATA_DIR/voices/NAME.manifest.json`: what a completed voice download holds. */
export interface VoiceManifest {
  voice: string;
  repo: string;
  revision: string;
  commit: string;
  endpoint: string;
  downloadedAt: string;
  /** Repo path, local file name, size and sha256 of the model and its config. */
  files: { path: string; file: string; size: number; sha256: string }[];
}

/** Options of {@linkcode downloadVoice}. */
export interface DownloadVoiceOptions {
  /** The voices folder, `DATA_DIR/voices`. */
  voicesDir: string;
  /**
   * Branch, tag or commit.
   * @default {"main"}
   */
  revision?: string;
  /** Fetch again even if a verified copy is there. */
  force?: boolean;
  /** Default: bars on a terminal, a plain line every 5 s otherwise. */
  progress?: Progress;
}

/** The manifest of a completed download of `voice`, or null. */
export async function readVoiceManifest(
  voicesDir: string,
  voice: string,
): Promise<VoiceManifest | null> {
  try {
    const manifest = JSON.parse(
      await Deno.readTextFile(join(voicesDir, `${voice}.manifest.json`)),
    ) as VoiceManifest;
    for (const file of manifest.files) {
      if ((await Deno.stat(join(voicesDir, file.file))).size !== file.size) return null;
    }
    return manifest;
  } catch {
    return null;
  }
}

/**
 * Fetch Piper voice `voice` (e.g. `en_US-lessac-medium`) from the Hub model repo
 * `rhasspy/piper-voices` into `voicesDir/NAME.onnx` + `.onnx.json`, through the Hub client:
 * `HF_ENDPOINT`, token, resume, sha256 check, retries; then write `NAME.manifest.json`.
 */
export async function downloadVoice(
  client: HubClient,
  voice: string,
  options: DownloadVoiceOptions,
): Promise<{ manifest: VoiceManifest; transferred: number }> {
  const paths = voiceRepoPaths(voice);
  const voicesDir = resolve(options.voicesDir);
  const revision = options.revision ?? DEFAULT_REVISION;
  const commit = await client.resolveRevision({ repo: PIPER_VOICES_REPO, revision, type: "model" });
  const ref = { repo: PIPER_VOICES_REPO, revision: commit, type: "model" as const };
  const folder = paths.model.slice(0, paths.model.lastIndexOf("/"));
  const entries = await client.listTree(ref, folder);
  const wanted = [
    { path: paths.model, file: `${voice}.onnx` },
    { path: paths.config, file: `${voice}.onnx.json` },
  ];
  const plan = wanted.map((want) => {
    const entry = entries.find((e) => e.type === "file" && e.path === want.path);
    if (!entry) {
      throw new Error(
        `${PIPER_VOICES_REPO}@${commit.slice(0, 12)} has no ${want.path}: is '${voice}' a ` +
          `Piper voice name? (list: ${PIPER_VOICES_REPO}/voices.json)`,
      );
    }
    const size = entry.lfs?.size ?? entry.size;
    if (typeof size !== "number") throw new Error(`the Hub listed ${entry.path} without a size`);
    return {
      ...want,
      expected: entry.lfs ? { size, sha256: entry.lfs.oid } : { size, gitSha1: entry.oid },
    };
  });
  await Deno.remove(join(voicesDir, `${voice}.manifest.json`)).catch(() => {});
  const downloaded = await downloadFiles(
    client,
    ref,
    plan.map((item) => ({
      path: item.path,
      dest: join(voicesDir, item.file),
      expected: item.expected,
    })),
    {
      label: voice,
      progress: options.progress ?? createProgress({ intervalMs: 5000 }),
      concurrency: 1,
      force: options.force,
    },
  );
  const files: VoiceManifest["files"] = plan.map((item, i) => ({
    path: item.path,
    file: item.file,
    size: downloaded[i].size,
    sha256: downloaded[i].sha256,
  }));
  const transferred = downloaded.reduce((sum, file) => sum + file.transferred, 0);
  const manifest: VoiceManifest = {
    voice,
    repo: PIPER_VOICES_REPO,
    revision,
    commit,
    endpoint: client.config.endpoint,
    downloadedAt: new Date().toISOString(),
    files,
  };
  await writeFileAtomic(
    join(voicesDir, `${voice}.manifest.json`),
    new TextEncoder().encode(JSON.stringify(manifest, null, 2) + "\n"),
  );
  return { manifest, transferred };
}
