import { type CommandUnknownOpts, Option } from "@commander-js/extra-typings";
import { DATASET_KEYS, type DatasetSpec } from "../datasets/mod.ts";
import { loadConfigFile, type VideowordConfig } from "../config/mod.ts";
import {
  formatStats,
  releaseHeldLocksSync,
  RenderPool,
  runRender,
  type SampleRenderer,
  type ShardStats,
  type VideoKind,
} from "../pipeline/mod.ts";
import {
  addTableOptions,
  builtInDefault,
  type CommandName,
  givenFlags,
  presetValues,
  type ResolvedOptions,
  resolveOptions,
  type ShardSettings,
  type TableCommand,
  type TableValues,
} from "../options/mod.ts";
import { allowProcesses, stopProcesses } from "../process/mod.ts";
import { templatesFor } from "./_templates.ts";

/** Dataset argument help text. */
export const DATASET_ARGUMENT_HELP = `dataset: ${DATASET_KEYS.join(", ")}, or 'all'`;

/** Why a finished shard run is not a success (exit 1), or null when it is. */
function shardProblem(stats: ShardStats): string | null {
  const first = stats.failures[0];
  const firstFailure = first ? `first: row ${first.index}: ${first.error}` : "";
  if (stats.rendered + stats.reused > 0) {
    return stats.failed === 0 ? null : `${stats.failed} videos failed (${firstFailure}); ` +
      `run the same command again to retry them`;
  }
  if (stats.rows === 0) {
    return `no video rendered or kept: no rows at or after row ${stats.start}` +
      (stats.requested === 0 ? " (--num-samples 0)" : " (the data has fewer rows)");
  }
  if (stats.failed > 0) {
    return `every video failed (${stats.failed}); ${firstFailure}`;
  }
  const reasons = Object.entries(stats.skipped_by_reason).map(([k, v]) => `${k}: ${v}`);
  return `no video rendered or kept: all ${stats.rows} rows were skipped (${reasons.join(", ")})`;
}

/** How long a stop on SIGTERM / SIGINT may take before the process exits regardless. */
const FORCED_EXIT_MS = 20_000;

/** Add the table's options of `name`, and `--print-config`. */
export function addRenderOptions<C extends CommandUnknownOpts>(command: C, name: CommandName): C {
  addTableOptions(command, name);
  return addPrintConfig(command);
}

/** A command's options resolved once: defaults < `videoword.jsonc` < environment < flags. */
export interface CommandOptions extends ResolvedOptions {
  config: VideowordConfig;
}

/**
 * Resolve `command`'s options: load the settings file `--config` names (or `./videoword.jsonc`),
 * then lay the environment and the given flags over it. With `--print-config`, print the result
 * and return `null`.
 */
export async function resolveCommandOptions(
  name: CommandName,
  command: CommandUnknownOpts,
): Promise<CommandOptions | null> {
  const flags = givenFlags(command);
  const loaded = await loadConfigFile(flags.config);
  const resolved = resolveOptions(name, {
    // The model preset (--preset, default seed) is the layer under the file, env and flags.
    preset: presetValues(flags.preset ?? builtInDefault("preset"), name),
    file: loaded.values,
    env: Deno.env.toObject(),
    flags,
  });
  printWarnings(resolved);
  if (command.opts().printConfig) {
    printConfig(loaded.config.source, resolved);
    return null;
  }
  return { ...resolved, config: loaded.config };
}

/** The commands with a table of their own (not the rendering commands' shared one). */
export type OwnTableCommand = Exclude<TableCommand, CommandName>;

/**
 * A command's options (`submit`, `download`, `export`, `verify`, `score`) resolved once: the
 * settings file `--config` names (or `./videoword.jsonc`), then the environment and the given
 * flags over it. With `--print-config`, print the result and return `null`.
 */
export async function resolveTableOptions<C extends OwnTableCommand>(
  name: C,
  command: CommandUnknownOpts,
): Promise<TableValues[C] | null> {
  const flags = givenFlags<TableValues[C]>(command);
  const loaded = await loadConfigFile((flags as { config?: string }).config);
  const resolved = resolveOptions(name, { file: loaded.values, env: Deno.env.toObject(), flags });
  printWarnings(resolved);
  if (command.opts().printConfig) {
    printConfig(loaded.config.source, resolved);
    return null;
  }
  return resolved.values;
}

/** `--print-config`: print the resolved options (and where each came from) and exit. */
export function addPrintConfig<C extends CommandUnknownOpts>(command: C): C {
  command.addOption(
    new Option("--print-config", "print the resolved options (and where each came from) and exit"),
  );
  return command;
}

/** One stderr line per resolution warning (ignored options, deprecated settings keys). */
export function printWarnings(resolved: ResolvedOptions<object>): void {
  for (const warning of resolved.warnings) console.error(`videoword: ${warning}`);
}

/** `--print-config`: the settings file, every resolved value and the layer it came from. */
export function printConfig(source: string | null, resolved: ResolvedOptions<object>): void {
  // Unset values (`--num-samples`: to the end) print as null rather than vanish.
  const options = Object.fromEntries(
    Object.entries(resolved.values).map(([key, value]) => [key, value ?? null]),
  );
  console.log(JSON.stringify({ config_file: source, options, from: resolved.origins }, null, 2));
}

/**
 * Render every selected dataset with the renderer `makeRenderer` builds (handing it the thread
 * pool when threads are used), printing each summary.
 */
export async function renderEachDataset(
  shard: ShardSettings,
  config: VideowordConfig,
  kind: VideoKind,
  makeRenderer: (spec: DatasetSpec, pool: RenderPool | undefined) => SampleRenderer,
): Promise<void> {
  const pool = shard.renderThreads > 0 ? new RenderPool(shard.renderThreads) : undefined;
  // SIGTERM (scancel, a time limit, kill) and SIGINT (Ctrl-C): stop taking rows, kill the
  // children (ffmpeg, espeak) here and on the render threads, remove this run's temp files,
  // release the lock, and exit like a signalled process (143 / 130), well within Slurm's 30 s
  // KillWait. A second signal, or a stop still running after FORCED_EXIT_MS, exits at once
  // (the lock is still released).
  const interrupt = new AbortController();
  let interruptCode = 0;
  const signals: [Deno.Signal, number][] = [["SIGINT", 130], ["SIGTERM", 143]];
  const handlers = signals.map(([signal, code]) => {
    const handler = () => {
      const forceExit = () => {
        releaseHeldLocksSync();
        Deno.exit(code);
      };
      if (interrupt.signal.aborted) return forceExit();
      interruptCode = code;
      console.error(`videoword: ${signal}: stopping; run the same command again to resume`);
      const reason = new Error(`${signal}: stopped`);
      interrupt.abort(reason);
      stopProcesses(reason);
      pool?.killProcesses();
      Deno.unrefTimer(setTimeout(forceExit, FORCED_EXIT_MS));
    };
    Deno.addSignalListener(signal, handler);
    return [signal, handler] as const;
  });
  try {
    for (const spec of shard.specs) {
      if (interrupt.signal.aborted) break;
      let stats;
      try {
        stats = await runRender(spec, makeRenderer(spec, pool), {
          ...shard,
          templates: templatesFor(spec, config, kind),
          signal: interrupt.signal,
        });
      } catch (error) {
        if (interrupt.signal.aborted) break;
        throw error;
      }
      console.log(formatStats(stats));
      const problem = shardProblem(stats);
      if (problem) {
        // Exit 0 only when at least one video was rendered or kept and none failed: a Slurm
        // task that produced nothing, or lost rows to failures, must not look done.
        console.error(`videoword: ${stats.dataset}: ${problem}`);
        Deno.exitCode = 1;
      }
    }
    if (interrupt.signal.aborted) Deno.exitCode = interruptCode;
  } finally {
    pool?.close();
    allowProcesses();
    for (const [signal, handler] of handlers) Deno.removeSignalListener(signal, handler);
  }
}
