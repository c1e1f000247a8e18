/**
 * videoword: turn Hugging Face text corpora into short MP4 videos and JSONL manifests.
 *
 * @module
 */
import { runCli } from "./src/cli/mod.ts";

if (import.meta.main) {
  Deno.exitCode = await runCli(Deno.args);
}
