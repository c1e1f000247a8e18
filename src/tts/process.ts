/** Output of a finished subprocess. */
export interface RunResult {
  stdout: Uint8Array;
  stderr: string;
}

/** Options of `runTool`. */
export interface RunToolOptions {
  /** Written to the child's stdin, then closed. */
  stdin?: Uint8Array;
  signal?: AbortSignal;
}

/** Run `bin args` (argument array, no shell); throw a one-line Error on failure. */
export async function runTool(
  bin: string,
  args: string[],
  options: RunToolOptions = {},
): Promise<RunResult> {
  options.signal?.throwIfAborted();
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(bin, {
      args,
      stdin: options.stdin ? "piped" : "null",
      stdout: "piped",
      stderr: "piped",
      signal: options.signal,
    }).spawn();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(`${bin} not found (is it installed?)`);
    }
    throw error;
  }
  if (options.stdin) {
    const writer = child.stdin.getWriter();
    // A child that dies early closes its stdin; its exit status tells the story then.
    await writer.write(options.stdin).catch(() => {});
    await writer.close().catch(() => {});
  }
  const output = await child.output();
  options.signal?.throwIfAborted();
  const stderr = new TextDecoder().decode(output.stderr);
  if (!output.success) {
    const detail = stderr.trim().split("\n").pop()?.trim() || "no message";
    throw new Error(`${bin} exited with code ${output.code}: ${detail}`);
  }
  return { stdout: output.stdout, stderr };
}

/** A one-line message for any thrown value. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s*[\r\n]+\s*/g, " ").trim();
}
