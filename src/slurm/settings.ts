/** Merge submit settings: flags > environment (the old scripts' variables) > config > defaults. */
import { resolve } from "node:path";
import { TIME_PATTERN, type VideowordConfig } from "../config/mod.ts";

/** The resolved cluster settings of one `submit`. */
export interface SubmitSettings {
  nodes: number | null;
  samplesPerNode: number;
  cpusPerTask: number;
  partition: string | null;
  time: string;
  mem: string | null;
  /** Absolute output root. */
  baseDir: string;
  /** Absolute download folder. */
  dataDir: string;
  /** Absolute log folder. */
  logsDir: string;
  sbatchArgs: string[];
}

/** Flag values (`undefined`: not given). */
export interface SubmitFlags {
  nodes?: number;
  samplesPerNode?: number;
  cpusPerTask?: number;
  partition?: string;
  time?: string;
  baseDir?: string;
  dataDir?: string;
}

/** Environment variables of the old shell scripts and the setting each one sets. */
export const ENV_VARIABLES = {
  NUM_NODES: "nodes",
  CPUS_PER_NODE: "cpusPerTask",
  SAMPLES_PER_NODE: "samplesPerNode",
  PARTITION: "partition",
  TIME_LIMIT: "time",
  BASE_DIR: "baseDir",
} as const;

function envInt(env: Record<string, string | undefined>, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < 1) {
    throw new Error(`environment variable ${name}=${raw} is not a positive integer`);
  }
  return value;
}

function envString(env: Record<string, string | undefined>, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw === "" ? undefined : raw;
}

/**
 * Resolve the settings from `config`, then `options.env` (default `Deno.env`), then `flags`.
 * Relative paths resolve against `options.cwd` (default the working directory).
 */
export function resolveSubmitSettings(
  config: VideowordConfig,
  flags: SubmitFlags,
  options: { env?: Record<string, string | undefined>; cwd?: string } = {},
): SubmitSettings {
  const env = options.env ?? Deno.env.toObject();
  const cwd = options.cwd ?? Deno.cwd();
  const s = config.slurm;
  const check = (name: string, value: number | undefined): number | undefined => {
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) {
      throw new Error(`--${name} must be a positive integer, got ${value}`);
    }
    return value;
  };
  const nodes = check("nodes", flags.nodes) ?? envInt(env, "NUM_NODES") ?? s.nodes;
  const time = flags.time ?? envString(env, "TIME_LIMIT") ?? s.time;
  if (!TIME_PATTERN.test(time)) throw new Error(`time limit "${time}" is not HH:MM:SS`);
  const baseDir = resolve(cwd, flags.baseDir ?? envString(env, "BASE_DIR") ?? config.base_dir);
  return {
    nodes,
    samplesPerNode: check("samples-per-node", flags.samplesPerNode) ??
      envInt(env, "SAMPLES_PER_NODE") ?? s.samples_per_node,
    cpusPerTask: check("cpus-per-task", flags.cpusPerTask) ?? envInt(env, "CPUS_PER_NODE") ??
      s.cpus_per_task,
    partition: flags.partition ?? envString(env, "PARTITION") ?? s.partition,
    time,
    mem: s.mem,
    baseDir,
    dataDir: resolve(cwd, flags.dataDir ?? config.data_dir),
    logsDir: s.logs_dir === null ? resolve(baseDir, "logs") : resolve(cwd, s.logs_dir),
    sbatchArgs: [...s.sbatch_args],
  };
}

/** The config as `--print-config` shows it: file values with flags and environment applied. */
export function mergedConfig(config: VideowordConfig, settings: SubmitSettings): VideowordConfig {
  return {
    ...config,
    base_dir: settings.baseDir,
    data_dir: settings.dataDir,
    slurm: {
      nodes: settings.nodes,
      samples_per_node: settings.samplesPerNode,
      cpus_per_task: settings.cpusPerTask,
      partition: settings.partition,
      time: settings.time,
      mem: settings.mem,
      logs_dir: settings.logsDir,
      sbatch_args: settings.sbatchArgs,
    },
  };
}
