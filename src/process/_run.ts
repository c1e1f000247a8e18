import { basename } from "node:path";

/** What to feed a child's stdin: bytes (then closed), or chunks streamed as they come. */
export type StdinSource = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/** Options of `runProcess`. */
export interface RunOptions {
  /** Written to the child's stdin, which is then closed. Default: no stdin (`null`). */
  stdin?: StdinSource;
  /** Capture stdout (default) or discard it. */
  stdout?: "piped" | "null";
  /** Kill the child (SIGKILL) and reject after this many milliseconds. Default: no limit. */
  timeoutMs?: number;
  /** Kill the child (SIGKILL) and reject with the signal's reason when it aborts. */
  signal?: AbortSignal;
  /**
   * Which tool `bin` is (`ffmpeg`, `espeak-ng`, …), for the missing-binary hint when `bin` is a
   * custom path. Default: the file name of `bin`.
   */
  tool?: string;
  cwd?: string;
  env?: Record<string, string>;
}

/** A finished child: exit code, stdout bytes (empty when discarded) and stderr text. */
export interface RunResult {
  code: number;
  success: boolean;
  stdout: Uint8Array;
  stderr: string;
}

/** Why a run failed: the binary is missing, it exited non-zero, or it ran past its time. */
export type ProcessFailure = "missing" | "exit" | "timeout" | "spawn";

/** A one-line error naming the binary and, for a failed exit, its stderr tail. */
export class ProcessError extends Error {
  override name = "ProcessError";
  /** The binary as given. */
  readonly bin: string;
  readonly failure: ProcessFailure;
  /** Exit code, when the child ran and exited. */
  readonly code?: number;
  constructor(message: string, bin: string, failure: ProcessFailure, code?: number) {
    super(message);
    this.bin = bin;
    this.failure = failure;
    this.code = code;
  }
}

/** How to get each tool videoword runs, for the missing-binary message. */
const INSTALL_HINTS: Record<string, string> = {
  ffmpeg: "install it (apt-get install ffmpeg) or pass --ffmpeg PATH",
  ffprobe: "install it (apt-get install ffmpeg)",
  "espeak-ng": "install it (apt-get install espeak-ng) or pass --espeak PATH",
  sbatch: "is this a Slurm login node? (apt-get install slurm-client)",
  squeue: "is this a Slurm login node? (apt-get install slurm-client)",
  scancel: "is this a Slurm login node? (apt-get install slurm-client)",
  scontrol: "is this a Slurm login node? (apt-get install slurm-client)",
};

/** `ffmpeg not found ('/opt/ffmpeg'): install it (apt-get install ffmpeg) or pass --ffmpeg PATH`. */
export function missingToolMessage(bin: string, tool: string = basename(bin)): string {
  const hint = INSTALL_HINTS[tool] ?? "install it or put it on PATH";
  return `${tool} not found ('${bin}'): ${hint}`;
}

/** The last three non-empty lines of a tool's stderr, on one line (at most 400 characters). */
export function stderrTail(text: string): string {
  const lines = text.trim().split("\n").filter((l) => l.trim().length > 0);
  return lines.slice(-3).map((l) => l.trim()).join(" | ").slice(-400) || "no error output";
}

/** Children started by this isolate and not yet exited. */
const running = new Set<{ kill(reason: unknown): void }>();

/**
 * Kill every child this isolate started that is still running (SIGKILL); their runs reject with
 * `reason`. For an interrupted run (SIGINT/SIGTERM), so no ffmpeg or espeak outlives it.
 * Resolves to how many were killed.
 */
export function killRunningProcesses(reason: unknown = new Error("interrupted")): number {
  const victims = [...running];
  for (const victim of victims) victim.kill(reason);
  return victims.length;
}

/** Set by {@link stopProcesses}: why no new child may start in this isolate. */
let stopped: { reason: unknown } | null = null;

/**
 * Kill every running child and refuse new ones (their runs reject with `reason`) until
 * {@link allowProcesses}: on SIGTERM / SIGINT, so a render still painting cannot start an
 * encoder after the kill. Resolves to how many were killed.
 */
export function stopProcesses(reason: unknown = new Error("interrupted")): number {
  stopped = { reason };
  return killRunningProcesses(reason);
}

/** Let children start again after {@link stopProcesses} (a command's end). */
export function allowProcesses(): void {
  stopped = null;
}

/** How many children this isolate is running now. */
export function runningProcessCount(): number {
  return running.size;
}

function spawnError(bin: string, tool: string | undefined, error: unknown): ProcessError {
  if (error instanceof Deno.errors.NotFound) {
    return new ProcessError(missingToolMessage(bin, tool), bin, "missing");
  }
  return new ProcessError(`cannot run ${bin}: ${(error as Error).message}`, bin, "spawn");
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Run `bin` with an argument array (never a shell) and wait for it to exit.
 *
 * Resolves with the exit code whatever it is; rejects with a `ProcessError` when the binary is
 * missing or the time limit passes, with the signal's reason on abort, and with the stdin
 * source's own error when that throws. In all those cases the child is killed first.
 */
export async function runProcess(
  bin: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  options.signal?.throwIfAborted();
  if (stopped) throw stopped.reason;
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(bin, {
      args: [...args],
      cwd: options.cwd,
      env: options.env,
      stdin: options.stdin ? "piped" : "null",
      stdout: options.stdout ?? "piped",
      stderr: "piped",
    }).spawn();
  } catch (error) {
    throw spawnError(bin, options.tool, error);
  }

  let failure: { reason: unknown } | undefined;
  const kill = (reason: unknown): void => {
    if (failure) return;
    failure = { reason };
    try {
      child.kill("SIGKILL");
    } catch {
      // already exited
    }
  };
  const handle = { kill };
  running.add(handle);
  const onAbort = (): void => kill(options.signal?.reason ?? new Error("aborted"));
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const timer = options.timeoutMs === undefined ? undefined : setTimeout(
    () => kill(new ProcessError(`${bin} timed out after ${options.timeoutMs} ms`, bin, "timeout")),
    options.timeoutMs,
  );

  try {
    const stdout = options.stdout === "null" ? Promise.resolve(new Uint8Array()) : collect(
      child.stdout,
    );
    const stderr = new Response(child.stderr).text();
    if (options.stdin) await feed(child.stdin, options.stdin, kill);
    const [status, out, err] = await Promise.all([child.status, stdout, stderr]);
    if (failure) throw failure.reason;
    return { code: status.code, success: status.success, stdout: out, stderr: err };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
    running.delete(handle);
  }
}

/**
 * Write `source` to the child's stdin and close it. A child that exits early closes its end: the
 * write error is dropped, since the exit status tells that story. An error thrown by the source
 * itself kills the child and becomes the run's error.
 */
async function feed(
  stdin: WritableStream<Uint8Array>,
  source: StdinSource,
  kill: (reason: unknown) => void,
): Promise<void> {
  const writer = stdin.getWriter();
  // false once the child has closed its end: then the rest of the source is not even made.
  const write = (chunk: Uint8Array): Promise<boolean> =>
    writer.write(chunk).then(() => true, () => false);
  try {
    if (source instanceof Uint8Array) await write(source);
    else {
      for await (const chunk of source) if (!await write(chunk)) break;
    }
  } catch (error) {
    kill(error);
  }
  await writer.close().catch(() => {});
}

/**
 * `runProcess`, but a non-zero exit also rejects: with a one-line `ProcessError`,
 * `BIN exited with code N: <stderr tail>`.
 */
export async function runChecked(
  bin: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const result = await runProcess(bin, args, options);
  if (!result.success) {
    throw new ProcessError(
      `${bin} exited with code ${result.code}: ${stderrTail(result.stderr)}`,
      bin,
      "exit",
      result.code,
    );
  }
  return result;
}

/**
 * Fail early, once, with a clear line when a tool is missing or broken: runs `bin versionArgs`
 * (default `-version`, as ffmpeg and ffprobe take; espeak-ng takes `--version`).
 */
export async function checkTool(
  bin: string,
  options: { tool?: string; versionArgs?: string[]; timeoutMs?: number } = {},
): Promise<void> {
  await runChecked(bin, options.versionArgs ?? ["-version"], {
    tool: options.tool,
    stdout: "null",
    timeoutMs: options.timeoutMs ?? 30_000,
  });
}
