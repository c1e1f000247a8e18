/** Talk to Slurm's client tools (`sbatch`, `squeue`, `scancel`, `scontrol`) with argv arrays. */
import { runProcess, type RunResult } from "../process/mod.ts";
import { DEFAULT_MAX_ARRAY_SIZE } from "./_plan.ts";

/** Slurm's tools answer in seconds; a hung controller must not hang videoword. */
const SLURM_TIMEOUT_MS = 30_000;

/** Run one Slurm tool (killed after `timeoutMs`); stdout as text. */
async function slurm(
  bin: string,
  args: string[],
  timeoutMs = SLURM_TIMEOUT_MS,
): Promise<RunResult & { text: string }> {
  const result = await runProcess(bin, args, { timeoutMs });
  return { ...result, text: new TextDecoder().decode(result.stdout) };
}

/** Parse `MaxArraySize = N` from `scontrol show config` output. */
export function parseMaxArraySize(text: string): number | null {
  const match = /^\s*MaxArraySize\s*=\s*(\d+)\s*$/m.exec(text);
  return match ? Number(match[1]) : null;
}

/** The cluster's MaxArraySize, or Slurm's default (1001) when `scontrol` is unavailable. */
export async function readMaxArraySize(): Promise<number> {
  try {
    const result = await slurm("scontrol", ["show", "config"], 15_000);
    if (result.code === 0) return parseMaxArraySize(result.text) ?? DEFAULT_MAX_ARRAY_SIZE;
  } catch {
    // no scontrol or no controller: fall through to the default
  }
  return DEFAULT_MAX_ARRAY_SIZE;
}

/** Submit `scriptPath` with `options`; resolves to the job id. */
export async function sbatch(scriptPath: string, options: string[]): Promise<string> {
  const result = await slurm("sbatch", ["--parsable", ...options, scriptPath]);
  if (result.code !== 0) {
    throw new Error(`sbatch failed: ${result.stderr.trim() || `exit code ${result.code}`}`);
  }
  return result.text.trim().split(";")[0];
}

/** One array task (or pending range) line of `squeue`. */
export interface QueueEntry {
  /** Base job id of the array. */
  jobId: string;
  /** Array task id, or a range like `[3-9]` for still-pending tasks. */
  arrayTask: string;
  name: string;
  state: string;
}

/** The user whose jobs we list and cancel (never anybody else's). */
function currentUser(): string {
  return Deno.env.get("USER") ?? Deno.env.get("LOGNAME") ?? "root";
}

/** Parse `squeue -h -r -o '%F|%K|%j|%T'` output. */
export function parseQueue(text: string): QueueEntry[] {
  const entries: QueueEntry[] = [];
  for (const line of text.split("\n")) {
    const parts = line.trim().split("|");
    if (parts.length !== 4) continue;
    const [jobId, arrayTask, name, state] = parts;
    entries.push({ jobId, arrayTask, name, state });
  }
  return entries;
}

/** The current user's `vwd_*` jobs, one entry per array task. */
export async function listVideowordJobs(): Promise<QueueEntry[]> {
  const result = await slurm("squeue", [
    "-h",
    "-r",
    `--user=${currentUser()}`,
    "--states=all",
    "-o",
    "%F|%K|%j|%T",
  ]);
  if (result.code !== 0) throw new Error(`squeue failed: ${result.stderr.trim()}`);
  return parseQueue(result.text).filter((entry) => entry.name.startsWith("vwd_"));
}

/** States in which a job can still be cancelled. */
const ACTIVE = new Set(["PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "SUSPENDED"]);

/** Cancel the current user's active `vwd_*` jobs by id; resolves to the cancelled ids. */
export async function cancelVideowordJobs(): Promise<string[]> {
  const entries = await listVideowordJobs();
  const ids = [...new Set(entries.filter((e) => ACTIVE.has(e.state)).map((e) => e.jobId))];
  if (ids.length === 0) return [];
  const result = await slurm("scancel", ids);
  if (result.code !== 0) throw new Error(`scancel failed: ${result.stderr.trim()}`);
  return ids;
}
