import { mapLimit } from "../concurrency/mod.ts";
import type { Progress } from "../progress/mod.ts";
import type { HubClient, RepoRef } from "./_client.ts";
import { type DownloadedFile, downloadFile, type ExpectedFile } from "./_file_download.ts";

/** One file of {@linkcode downloadFiles}. */
export interface FileToDownload {
  /** Path in the repo. */
  path: string;
  /** Where it lands. */
  dest: string;
  expected: ExpectedFile;
}

/** Options of {@linkcode downloadFiles}. */
export interface DownloadFilesOptions {
  /** Names the transfer on progress and retry lines: the dataset key or the voice name. */
  label: string;
  progress: Progress;
  /** Files fetched at once. */
  concurrency: number;
  /** Ignore (and delete) finished or partial copies already on disk. */
  force?: boolean;
}

/**
 * Fetch `files` of `ref` (a few at once) with {@linkcode downloadFile}, feeding `progress` one
 * task: bytes on disk over all files, files done, a part per file; retries are logged through it.
 * Results are in input order; after the first failure no new file starts and that error is thrown.
 */
export async function downloadFiles(
  client: HubClient,
  ref: RepoRef,
  files: readonly FileToDownload[],
  options: DownloadFilesOptions,
): Promise<DownloadedFile[]> {
  const { progress, label } = options;
  let bytes = 0;
  let finished = 0;
  progress.start({
    label,
    unit: "bytes",
    total: files.reduce((sum, file) => sum + file.expected.size, 0),
  });
  try {
    return await mapLimit(files, options.concurrency, async (file) => {
      let last = 0;
      const show = (done: number, status?: "done" | "failed") => {
        bytes += done - last;
        last = done;
        progress.part({ name: file.path, done, total: file.expected.size, status });
        progress.update({ done: bytes, counts: { files: `${finished}/${files.length}` } });
      };
      try {
        const result = await downloadFile(client, { ref, path: file.path }, {
          dest: file.dest,
          expected: file.expected,
          force: options.force,
          onProgress: (done) => show(done),
          onRetry: (message) => progress.log(`${label}: ${message}`),
        });
        finished++;
        show(result.size, "done");
        return result;
      } catch (error) {
        show(last, "failed");
        throw error;
      }
    });
  } finally {
    progress.stop();
  }
}
