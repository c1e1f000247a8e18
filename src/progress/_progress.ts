// @ts-types="@types/cli-progress"
import cliProgress from "cli-progress";
import process from "node:process";
import { formatBytes, formatDuration } from "./_format.ts";

/** One task shown by a {@linkcode Progress}: a dataset's download, a shard's render. */
export interface ProgressTask {
  /** First on every bar and line: `gsm8k`, `gsm8k rows 0..100`. */
  label: string;
  /** What `done` and `total` count: `bytes` are shown as sizes, `rows` as numbers. */
  unit: "bytes" | "rows";
  /** Units expected; an unknown total shows the amount and rate without bar, percentage or ETA. */
  total?: number;
}

/** Where the task stands: absolute numbers, not increments. */
export interface ProgressUpdate {
  /** Units done so far (bytes on disk, rows emitted). */
  done: number;
  /**
   * Tallies shown after the amount as `value name`, in this order:
   * `{ ok: 40, skipped: 3, failed: 2 }` shows `40 ok 3 skipped 2 failed`, `{ files: "1/2" }`
   * shows `1/2 files`.
   */
  counts?: Readonly<Record<string, number | string>>;
}

/** One part of the task (a file of a download), in the task's unit. */
export interface ProgressPart {
  /** Names the part: a file's repo path. */
  name: string;
  /** Units of this part done so far. */
  done: number;
  /** Units of this part. */
  total: number;
  /**
   * `done` or `failed` once the part is over: its bar goes away; plain lines say `NAME (SIZE) done`.
   * @default {"running"}
   */
  status?: "running" | "done" | "failed";
}

/**
 * The one progress display of downloads and renders. Producers feed it plain data; it draws
 * bars on a terminal or prints periodic plain lines (Slurm logs, pipes).
 */
export interface Progress {
  /** A task starts (a new task replaces a stopped one: one reporter serves several datasets). */
  start(task: ProgressTask): void;
  /** The task's new counts. */
  update(update: ProgressUpdate): void;
  /** A part's new count (bars only: a bar per running part). */
  part(part: ProgressPart): void;
  /** A line of news (retries, skipped rows) that must not garble the bars. Always printed. */
  log(line: string): void;
  /** The task is over: stop timers, draw the final bar (or the final line after periodic ones). */
  stop(): void;
}

/** The stream bars are drawn on: `process.stderr`, or a stand-in with the same shape in tests. */
export interface BarStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Options of {@linkcode createProgress}. */
export interface ProgressOptions {
  /**
   * `bars` (cli-progress), `lines` (a status line every `intervalMs`), `none` (only `log` lines);
   * `auto` draws bars when stderr is a terminal and prints lines otherwise.
   * @default {"auto"}
   */
  mode?: "auto" | "bars" | "lines" | "none";
  /**
   * Plain lines: ms between status lines.
   * @default {30000}
   */
  intervalMs?: number;
  /**
   * Plain lines and `log` outside bars: where a line goes.
   * @default {console.error}
   */
  write?: (line: string) => void;
  /**
   * Bars: where they are drawn.
   * @default {process.stderr}
   */
  stream?: BarStream;
}

/** What one bar or line shows after its label. */
interface Figures {
  unit: ProgressTask["unit"];
  done: number;
  total?: number;
  counts?: ProgressUpdate["counts"];
  /** Units per second. */
  rate: number;
}

/** Units per second from `done` units over `seconds`. */
function rateOf(done: number, seconds: number): number {
  return seconds > 0 ? Math.max(0, done) / seconds : 0;
}

/** `45/100 rows (45%) | 40 ok 3 skipped 2 failed | 4.50 rows/s | ETA 12s`, or in bytes. */
function statusText({ unit, done, total, counts, rate }: Figures): string {
  const bytes = unit === "bytes";
  let amount = bytes
    ? (total === undefined ? formatBytes(done) : `${formatBytes(done)} / ${formatBytes(total)}`)
    : `${done}${total === undefined ? "" : `/${total}`} rows`;
  if (total !== undefined) {
    amount += ` (${total > 0 ? Math.floor((100 * done) / total) : 100}%)`;
  }
  const fields = [amount];
  const tallies = Object.entries(counts ?? {}).map(([name, value]) => `${value} ${name}`);
  if (tallies.length > 0) fields.push(tallies.join(" "));
  fields.push(bytes ? `${formatBytes(rate)}/s` : `${rate.toFixed(2)} rows/s`);
  if (total !== undefined) {
    fields.push(`ETA ${formatDuration(rate > 0 ? (total - done) / rate : Infinity)}`);
  }
  return fields.join(" | ");
}

/** A part's label on its bar: long repo paths keep their tail. */
function partLabel(name: string): string {
  return name.length > 40 ? `…${name.slice(-39)}` : name;
}

/** Bars share the pieces cli-progress draws (bar, percentage) and take the rest as text. */
const BAR_FORMAT = "{label} [{bar}] {status}";
const NO_BAR_FORMAT = "{label} {status}";

class BarProgress implements Progress {
  #stream: BarStream;
  #write: (line: string) => void;
  #bars: cliProgress.MultiBar | null = null;
  #task: ProgressTask = { label: "", unit: "rows" };
  #main: cliProgress.SingleBar | null = null;
  #started = 0;
  #parts = new Map<string, { bar: cliProgress.SingleBar; base: number; since: number }>();

  constructor(stream: BarStream, write: (line: string) => void) {
    this.#stream = stream;
    this.#write = write;
  }

  start(task: ProgressTask): void {
    this.stop();
    this.#task = task;
    this.#started = performance.now();
    this.#bars = new cliProgress.MultiBar({
      format: task.total === undefined ? NO_BAR_FORMAT : BAR_FORMAT,
      barsize: 24,
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      stream: this.#stream as NodeJS.WritableStream,
    }, cliProgress.Presets.shades_classic);
    this.#main = this.#bars.create(Math.max(1, task.total ?? 1), 0, {
      label: task.label,
      status: statusText({ ...task, done: 0, rate: 0 }),
    });
  }

  update(update: ProgressUpdate): void {
    const rate = rateOf(update.done, (performance.now() - this.#started) / 1000);
    this.#main?.update(update.done, { status: statusText({ ...this.#task, ...update, rate }) });
  }

  part(part: ProgressPart): void {
    const bars = this.#bars;
    if (!bars) return;
    let shown = this.#parts.get(part.name);
    if (part.status === "done" || part.status === "failed") {
      if (shown) bars.remove(shown.bar);
      this.#parts.delete(part.name);
      return;
    }
    if (!shown) {
      const bar = bars.create(Math.max(1, part.total), part.done, {
        label: partLabel(part.name),
        status: "",
      }, { format: BAR_FORMAT });
      // A part's rate counts from its first report: bytes resumed from disk are not speed.
      shown = { bar, base: part.done, since: performance.now() };
      this.#parts.set(part.name, shown);
    }
    const rate = rateOf(part.done - shown.base, (performance.now() - shown.since) / 1000);
    shown.bar.update(part.done, {
      status: statusText({ unit: this.#task.unit, done: part.done, total: part.total, rate }),
    });
  }

  log(line: string): void {
    if (this.#bars) this.#bars.log(`${line}\n`);
    else this.#write(line);
  }

  stop(): void {
    // cli-progress writes logged lines only on its next redraw, which `stop` alone skips.
    this.#bars?.update();
    this.#bars?.stop();
    this.#bars = null;
    this.#main = null;
    this.#parts.clear();
  }
}

class LineProgress implements Progress {
  #task: ProgressTask = { label: "", unit: "rows" };
  #latest: ProgressUpdate = { done: 0 };
  #started = 0;
  #printed = false;
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #intervalMs: number;
  readonly #write: (line: string) => void;

  constructor(intervalMs: number, write: (line: string) => void) {
    this.#intervalMs = intervalMs;
    this.#write = write;
  }

  start(task: ProgressTask): void {
    this.stop();
    this.#task = task;
    this.#latest = { done: 0 };
    this.#started = performance.now();
    this.#printed = false;
    this.#timer = setInterval(() => this.#status(), this.#intervalMs);
  }

  #status(): void {
    const rate = rateOf(this.#latest.done, (performance.now() - this.#started) / 1000);
    this.#write(`${this.#task.label}: ${statusText({ ...this.#task, ...this.#latest, rate })}`);
    this.#printed = true;
  }

  update(update: ProgressUpdate): void {
    this.#latest = update;
  }

  part(part: ProgressPart): void {
    if (part.status !== "done") return;
    const size = this.#task.unit === "bytes" ? formatBytes(part.total) : `${part.total} rows`;
    this.#write(`${this.#task.label}: ${part.name} (${size}) done`);
  }

  log(line: string): void {
    this.#write(line);
  }

  stop(): void {
    if (this.#timer === undefined) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
    // A run long enough for periodic lines ends with its final tally.
    if (this.#printed) this.#status();
  }
}

class NoProgress implements Progress {
  readonly #write: (line: string) => void;
  constructor(write: (line: string) => void) {
    this.#write = write;
  }
  start(): void {}
  update(): void {}
  part(): void {}
  log(line: string): void {
    this.#write(line);
  }
  stop(): void {}
}

/**
 * The progress display: bars (cli-progress) on a terminal, periodic plain lines otherwise.
 *
 * @example
 * ```ts
 * import { createProgress } from "./mod.ts";
 *
 * const progress = createProgress({ mode: "lines", intervalMs: 5000 });
 * progress.start({ label: "gsm8k rows 0..100", unit: "rows", total: 100 });
 * progress.update({ done: 1, counts: { ok: 1, skipped: 0, failed: 0 } });
 * progress.stop();
 * ```
 */
export function createProgress(options: ProgressOptions = {}): Progress {
  const write = options.write ?? ((line: string) => console.error(line));
  const mode = options.mode ?? "auto";
  if (mode === "none") return new NoProgress(write);
  const bars = mode === "bars" || (mode === "auto" && Deno.stderr.isTerminal());
  if (bars) return new BarProgress(options.stream ?? process.stderr, write);
  return new LineProgress(options.intervalMs ?? 30_000, write);
}
