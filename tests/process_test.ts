import assert from "node:assert/strict";
import {
  checkTool,
  killRunningProcesses,
  missingToolMessage,
  ProcessError,
  runChecked,
  runningProcessCount,
  runProcess,
  stderrTail,
} from "../src/process/mod.ts";

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** Is a process with exactly this command line still alive? (`pgrep -f` on a unique argument.) */
async function alive(pattern: string): Promise<boolean> {
  const out = await new Deno.Command("pgrep", { args: ["-f", pattern], stdout: "null" }).output();
  return out.code === 0;
}

Deno.test("runProcess: exit code, stdout bytes and stderr text, argument array kept verbatim", async () => {
  const result = await runProcess("printf", ["%s|", "a b", "$HOME", "; rm -rf /"]);
  assert.equal(result.code, 0);
  assert.equal(result.success, true);
  assert.equal(text(result.stdout), "a b|$HOME|; rm -rf /|");
  const failed = await runProcess("ls", ["/no/such/dir/here"]);
  assert.notEqual(failed.code, 0);
  assert.equal(failed.success, false);
  assert.match(failed.stderr, /no\/such\/dir/);
});

Deno.test("runProcess: stdin from bytes and from a stream of chunks", async () => {
  const bytes = await runProcess("cat", [], { stdin: new TextEncoder().encode("hello\n") });
  assert.equal(text(bytes.stdout), "hello\n");
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < 200; i++) yield new Uint8Array(4096).fill(65 + (i % 26));
  }
  const streamed = await runProcess("wc", ["-c"], { stdin: chunks() });
  assert.equal(text(streamed.stdout).trim(), String(200 * 4096));
  const discarded = await runProcess("cat", [], { stdin: new Uint8Array(10), stdout: "null" });
  assert.equal(discarded.stdout.length, 0);
});

Deno.test("runProcess: a child that exits early does not make the stdin source fail", async () => {
  let made = 0;
  function* frames(): Generator<Uint8Array> {
    for (let i = 0; i < 10_000; i++) {
      made++;
      yield new Uint8Array(65536);
    }
  }
  const result = await runProcess("head", ["-c", "10"], { stdin: frames(), stdout: "null" });
  assert.equal(result.code, 0);
  assert.ok(made < 10_000, `stopped making input once the pipe closed (made ${made})`);
});

Deno.test("missing binary: the same one-line message, with the tool's install hint", async () => {
  await assert.rejects(
    runProcess("/nonexistent/ffmpeg", ["-version"]),
    (e: unknown) =>
      e instanceof ProcessError && e.failure === "missing" &&
      e.message ===
        "ffmpeg not found ('/nonexistent/ffmpeg'): install it (apt-get install ffmpeg) or pass --ffmpeg PATH",
  );
  await assert.rejects(
    checkTool("/opt/x/my-espeak", { tool: "espeak-ng", versionArgs: ["--version"] }),
    /^ProcessError: espeak-ng not found \('\/opt\/x\/my-espeak'\): .*--espeak PATH$/,
  );
  assert.match(missingToolMessage("sbatch"), /^sbatch not found \('sbatch'\): is this a Slurm/);
  assert.match(missingToolMessage("/bin/zzz"), /^zzz not found \('\/bin\/zzz'\): install it/);
});

Deno.test("runChecked: a failed exit is one line ending in the stderr tail", async () => {
  await assert.rejects(
    runChecked("ls", ["/no/such/a", "/no/such/b"]),
    (e: unknown) =>
      e instanceof ProcessError && e.failure === "exit" && e.code !== 0 &&
      /^ls exited with code \d+: .*no\/such\/a.* \| .*no\/such\/b/.test(e.message) &&
      !e.message.includes("\n"),
  );
  await assert.rejects(runChecked("false", []), /^ProcessError: false exited with code 1/);
  assert.equal(stderrTail("a\n\nb\n c \nd\n"), "b | c | d");
  assert.equal(stderrTail(" \n"), "no error output");
  assert.equal(stderrTail("x".repeat(1000)).length, 400);
  await checkTool("ffmpeg");
  await checkTool("espeak-ng", { versionArgs: ["--version"] });
});

Deno.test("timeout and abort kill the child", async () => {
  const started = performance.now();
  await assert.rejects(
    runProcess("sleep", ["31.4159"], { timeoutMs: 200 }),
    (e: unknown) =>
      e instanceof ProcessError && e.failure === "timeout" &&
      e.message === "sleep timed out after 200 ms",
  );
  assert.ok(performance.now() - started < 10_000);
  assert.equal(await alive("sleep 31.4159"), false);

  const controller = new AbortController();
  const run = runProcess("sleep", ["27.1828"], { signal: controller.signal });
  setTimeout(() => controller.abort(new Error("stop now")), 100);
  await assert.rejects(run, /stop now/);
  assert.equal(await alive("sleep 27.1828"), false);
  await assert.rejects(
    runProcess("sleep", ["1"], { signal: AbortSignal.abort(new Error("early")) }),
    /early/,
  );
  assert.equal(runningProcessCount(), 0);
});

Deno.test("a stdin source that throws kills the child and is the run's error", async () => {
  async function* failing(): AsyncGenerator<Uint8Array> {
    yield new Uint8Array(10);
    throw new Error("painter broke");
  }
  await assert.rejects(runProcess("sleep", ["16.1803"], { stdin: failing() }), /painter broke/);
  assert.equal(await alive("sleep 16.1803"), false);
});

Deno.test("killRunningProcesses kills every running child (for SIGINT/SIGTERM handling)", async () => {
  const runs = [runProcess("sleep", ["14.142"]), runProcess("sleep", ["17.320"])];
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(runningProcessCount(), 2);
  assert.equal(killRunningProcesses(new Error("interrupted by SIGINT")), 2);
  // Both rejections are handled at once: awaiting them one by one leaves the second unhandled
  // while the first is awaited, which Deno reports as an uncaught error under load.
  await Promise.all(runs.map((run) => assert.rejects(run, /interrupted by SIGINT/)));
  assert.equal(runningProcessCount(), 0);
  assert.equal(await alive("sleep 14.142"), false);
  assert.equal(await alive("sleep 17.320"), false);
});
