import assert from "node:assert/strict";
import { stripVTControlCharacters } from "node:util";
import {
  type BarStream,
  createProgress,
  formatBytes,
  formatDuration,
  type Progress,
} from "../src/progress/mod.ts";

/** Lines written in plain mode; resolves `next` when a line matching `pattern` arrives. */
function capture(pattern: RegExp) {
  const lines: string[] = [];
  let seen: () => void = () => {};
  const next = new Promise<void>((resolve) => seen = resolve);
  const write = (line: string) => {
    lines.push(line);
    if (pattern.test(line)) seen();
  };
  return { lines, next, write };
}

/** A terminal stand-in for cli-progress: records what is drawn, without control sequences. */
function fakeTerminal(): BarStream & { text(): string } {
  let drawn = "";
  return {
    isTTY: true,
    columns: 160,
    write(chunk: string) {
      drawn += chunk;
      return true;
    },
    text: () => stripVTControlCharacters(drawn),
  };
}

const ROWS =
  /^gsm8k rows 0\.\.100: 45\/100 rows \(45%\) \| 40 ok 3 skipped 2 failed \| \d+\.\d\d rows\/s \| ETA (\d+s|\d+m\d\ds|--)$/;

Deno.test("lines: a render prints rows, counts, rate and ETA periodically and a final tally", async () => {
  const out = capture(/rows\/s/);
  const progress = createProgress({ mode: "lines", intervalMs: 5, write: out.write });
  progress.start({ label: "gsm8k rows 0..100", unit: "rows", total: 100 });
  progress.update({ done: 45, counts: { ok: 40, skipped: 3, failed: 2 } });
  await out.next;
  progress.log("gsm8k row 7: skipped: answer too long");
  progress.update({ done: 100, counts: { ok: 95, skipped: 3, failed: 2 } });
  progress.stop();
  assert.match(out.lines[0], ROWS);
  assert.ok(out.lines.includes("gsm8k row 7: skipped: answer too long"));
  assert.match(
    out.lines.at(-1)!,
    /^gsm8k rows 0\.\.100: 100\/100 rows \(100%\) \| 95 ok 3 skipped 2 failed \| [\d.]+ rows\/s \| ETA 0s$/,
  );
  // Stopped: no more lines.
  const count = out.lines.length;
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(out.lines.length, count);
});

Deno.test("lines: a download prints bytes, files, rate and ETA, and a line per finished file", async () => {
  const out = capture(/files/);
  const progress = createProgress({ mode: "lines", intervalMs: 5, write: out.write });
  progress.start({ label: "gsm8k", unit: "bytes", total: 2_000_000 });
  progress.part({ name: "main/train.parquet", done: 500_000, total: 1_000_000 });
  progress.update({ done: 500_000, counts: { files: "0/2" } });
  await out.next;
  progress.part({ name: "main/train.parquet", done: 1_000_000, total: 1_000_000, status: "done" });
  progress.part({ name: "main/test.parquet", done: 0, total: 1_000_000, status: "failed" });
  progress.stop();
  assert.match(
    out.lines[0],
    /^gsm8k: 500\.0 KB \/ 2\.00 MB \(25%\) \| 0\/2 files \| \d+(\.\d+)? [KMG]?B\/s \| ETA \S+$/,
  );
  assert.ok(out.lines.includes("gsm8k: main/train.parquet (1.00 MB) done"), out.lines.join("\n"));
  assert.ok(!out.lines.some((line) => line.includes("test.parquet")), "a failed file is no 'done'");
});

Deno.test("lines: an unknown total shows the amount and rate, without percentage or ETA", async () => {
  const out = capture(/rows/);
  const progress = createProgress({ mode: "lines", intervalMs: 5, write: out.write });
  progress.start({ label: "gsm8k rows 0..end", unit: "rows" });
  progress.update({ done: 7, counts: { ok: 7, skipped: 0, failed: 0 } });
  await out.next;
  progress.stop();
  assert.match(
    out.lines[0],
    /^gsm8k rows 0\.\.end: 7 rows \| 7 ok 0 skipped 0 failed \| [\d.]+ rows\/s$/,
  );
});

Deno.test("lines: a task shorter than the interval prints nothing but its log lines", () => {
  const lines: string[] = [];
  const progress = createProgress({
    mode: "lines",
    intervalMs: 60_000,
    write: (l) => lines.push(l),
  });
  progress.start({ label: "gsm8k", unit: "bytes", total: 10 });
  progress.update({ done: 10 });
  progress.log("gsm8k: retrying in 1.0 s");
  progress.stop();
  assert.deepEqual(lines, ["gsm8k: retrying in 1.0 s"]);
});

Deno.test("none: only log lines are printed", () => {
  const lines: string[] = [];
  const progress: Progress = createProgress({ mode: "none", write: (l) => lines.push(l) });
  progress.start({ label: "gsm8k rows 0..10", unit: "rows", total: 10 });
  progress.update({ done: 10, counts: { ok: 10 } });
  progress.part({ name: "x", done: 1, total: 1, status: "done" });
  progress.log("gsm8k row 3: failed: encoder crashed");
  progress.stop();
  assert.deepEqual(lines, ["gsm8k row 3: failed: encoder crashed"]);
});

Deno.test("bars: a render draws one bar with the same status text, logs above it", () => {
  const terminal = fakeTerminal();
  const progress = createProgress({ mode: "bars", stream: terminal, write: () => assert.fail() });
  progress.start({ label: "gsm8k rows 0..100", unit: "rows", total: 100 });
  progress.update({ done: 45, counts: { ok: 40, skipped: 3, failed: 2 } });
  progress.log("gsm8k row 7: skipped: answer too long");
  progress.stop();
  const text = terminal.text();
  assert.ok(text.includes("gsm8k row 7: skipped: answer too long\n"), text);
  const bar = text.split("\n").filter((line) => line.startsWith("gsm8k rows")).at(-1)!;
  assert.match(
    bar,
    /^gsm8k rows 0\.\.100 \[█{10}█?░{13,14}\] 45\/100 rows \(45%\) \| 40 ok 3 skipped 2 failed \| [\d.]+ rows\/s \| ETA \S+$/,
  );
});

Deno.test("bars: a download draws the total and a bar per running file, removed when done", () => {
  const terminal = fakeTerminal();
  const progress = createProgress({ mode: "bars", stream: terminal });
  progress.start({ label: "gsm8k", unit: "bytes", total: 2_000_000 });
  progress.part({ name: "main/train-00000-of-00001.parquet", done: 0, total: 1_000_000 });
  progress.part({ name: "main/train-00000-of-00001.parquet", done: 500_000, total: 1_000_000 });
  progress.update({ done: 500_000, counts: { files: "0/2" } });
  // `log` redraws: the file's bar is drawn under the total.
  progress.log("gsm8k: retrying");
  progress.stop();
  const lines = terminal.text().split("\n");
  assert.ok(
    lines.some((line) =>
      /^gsm8k \[.*\] 500\.0 KB \/ 2\.00 MB \(25%\) \| 0\/2 files \| .*B\/s \| ETA \S+$/.test(line)
    ),
    lines.join("\n"),
  );
  assert.ok(
    lines.some((line) =>
      /^main\/train-00000-of-00001\.parquet \[.*\] 500\.0 KB \/ 1\.00 MB \(50%\) \| .*B\/s \| ETA/
        .test(line)
    ),
    lines.join("\n"),
  );

  // A finished file's bar goes away: the final frame shows the total only.
  const again = fakeTerminal();
  const second = createProgress({ mode: "bars", stream: again });
  second.start({ label: "gsm8k", unit: "bytes", total: 1_000 });
  second.part({ name: "a.parquet", done: 1_000, total: 1_000 });
  second.part({ name: "a.parquet", done: 1_000, total: 1_000, status: "done" });
  second.update({ done: 1_000, counts: { files: "1/1" } });
  second.stop();
  const final = again.text().split("\n").filter((line) => line.trim()).at(-1)!;
  assert.match(final, /^gsm8k \[█+\] 1\.00 KB \/ 1\.00 KB \(100%\) \| 1\/1 files \| /);
});

Deno.test("bars: an unknown total draws no bar, only the status", () => {
  const terminal = fakeTerminal();
  const progress = createProgress({ mode: "bars", stream: terminal });
  progress.start({ label: "tinystories rows 0..end", unit: "rows" });
  progress.update({ done: 3, counts: { ok: 3, skipped: 0, failed: 0 } });
  progress.stop();
  const last = terminal.text().split("\n").filter((line) => line.trim()).at(-1)!;
  assert.match(
    last,
    /^tinystories rows 0\.\.end 3 rows \| 3 ok 0 skipped 0 failed \| [\d.]+ rows\/s$/,
  );
});

Deno.test("one size format and one duration format", () => {
  assert.equal(formatBytes(512), "512 B");
  assert.equal(formatBytes(512.7), "513 B");
  assert.equal(formatBytes(1_500_000), "1.50 MB");
  assert.equal(formatBytes(123_400_000_000), "123.4 GB");
  assert.equal(formatDuration(45), "45s");
  assert.equal(formatDuration(185), "3m05s");
  assert.equal(formatDuration(2 * 3600 + 7 * 60 + 3), "2h07m");
  assert.equal(formatDuration(Infinity), "--");
  assert.equal(formatDuration(-1), "--");
});
