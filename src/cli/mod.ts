/**
 * The `videoword` command line: one commander program with a sub-command per job.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCli } from "./mod.ts";
 *
 * const baseDir = await Deno.makeTempDir();
 * const args = ["render", "gsm8k", "--source", "samples", "--num-samples", "2"];
 * assert.equal(await runCli([...args, "--base-dir", baseDir]), 0);
 * assert.equal((await Array.fromAsync(Deno.readDir(`${baseDir}/gsm8k/video`))).length, 2);
 * assert.equal(await runCli(["render", "gsm8k", "--crf", "x"]), 2); // an option error exits 2
 * await Deno.remove(baseDir, { recursive: true });
 * ```
 *
 * @module
 */
import { Command, CommanderError } from "@commander-js/extra-typings";
import { renderCommand } from "./_render_command.ts";
import { downloadCommand } from "./_download_command.ts";
import { audioRenderCommand } from "./_audio_render_command.ts";
import { submitCommand } from "./_submit_command.ts";
import { verifyCommand } from "./_verify_command.ts";
import { exportCommand } from "./_export_command.ts";
import { previewCommand } from "./_preview_command.ts";
import { scoreCommand } from "./_score_command.ts";
import { normalizeArgs } from "./_args.ts";
import { UsageError } from "../errors/mod.ts";

/** Version printed by `videoword --version`. */
export const VERSION = "0.1.0";

/** Build the full command tree (exported for tests and help output). */
export function buildProgram(): Command {
  const program = new Command("videoword")
    .description("Turn Hugging Face text corpora into word-by-word and narrated MP4 videos.")
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride();
  program.addCommand(renderCommand());
  program.addCommand(audioRenderCommand());
  program.addCommand(downloadCommand());
  program.addCommand(submitCommand());
  program.addCommand(verifyCommand());
  program.addCommand(exportCommand());
  program.addCommand(previewCommand());
  program.addCommand(scoreCommand());
  // Sub-commands added whole do not inherit exitOverride: without it commander exits 1 itself
  // on an option error, past runCli's exit 2.
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** Parse `args` and run; resolves to the process exit code. Errors print one line. */
export async function runCli(args: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(normalizeArgs(args), { from: "user" });
    return typeof Deno.exitCode === "number" ? Deno.exitCode : 0;
  } catch (error) {
    // Help and --version exit 0; every other commander error is an option error: 2.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    console.error(`videoword: ${error instanceof Error ? error.message : String(error)}`);
    return error instanceof UsageError ? 2 : 1;
  }
}
