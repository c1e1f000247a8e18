/**
 * A Hugging Face Hub client for dataset repos and the `download` workflow: resolve a revision,
 * list files, fetch the train split's files with resume, verification and retries, and record
 * the result in `DATA_DIR/DATASET/manifest.json` for `render` and `submit`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HubClient, hubConfigFromEnv } from "./mod.ts";
 *
 * // A loopback stand-in for the Hub's revision API.
 * const sha = "0123456789abcdef0123456789abcdef01234567";
 * const hub = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
 *   assert.equal(new URL(request.url).pathname, "/api/datasets/openai/gsm8k/revision/main");
 *   assert.equal(request.headers.get("authorization"), "Bearer hf_example");
 *   return Response.json({ sha });
 * });
 * // HF_ENDPOINT and HF_TOKEN (or the token file) as the Hugging Face tools read them.
 * const env = { HF_ENDPOINT: `http://127.0.0.1:${hub.addr.port}`, HF_TOKEN: "hf_example" };
 * const client = new HubClient(hubConfigFromEnv({ env }));
 * assert.equal(await client.resolveRevision({ repo: "openai/gsm8k", revision: "main" }), sha);
 * await hub.shutdown();
 * ```
 *
 * @module
 */
export { DEFAULT_ENDPOINT, type HubConfig, hubConfigFromEnv, tokenFilePath } from "./_config.ts";
export {
  HubClient,
  type HubClientOptions,
  HubError,
  type HubTreeEntry,
  nextLinkUrl,
  printableUrl,
  type RepoRef,
} from "./_client.ts";
export { localRepoPath, unsafeRepoPathReason } from "./_repo_path.ts";
export {
  type DownloadedFile,
  downloadFile,
  type DownloadFileOptions,
  type ExpectedFile,
} from "./_file_download.ts";
export {
  type DownloadManifest,
  type ManifestFile,
  manifestFilePath,
  readDownloadManifest,
} from "./_manifest.ts";
export {
  downloadFiles,
  type DownloadFilesOptions,
  type FileToDownload,
} from "./_files_download.ts";
export {
  type DatasetDownloadResult,
  type DatasetState,
  datasetState,
  DEFAULT_REVISION,
  downloadDataset,
  type DownloadDatasetOptions,
} from "./_dataset_download.ts";
