// @ts-types="@types/cli-progress"
import cliProgress from "cli-progress";
import process from "node:process";
import { formatBytes, formatDuration } from "./format.ts";

/** Progress of one file. */
export interface FileProgress {
  /** Bytes of the file now on disk. */
  update(bytesDone: number): void;
  /** The file is complete (or failed: `ok` false). */
  finish(ok: boolean): void;
}

/** Where a download reports progress: a bar per file and overall, or periodic lines. */
export interface ProgressReporter {
  /** A dataset's transfer starts. */
  begin(dataset: string, totalBytes: number, fileCount: number): void;
  /** Track one file. */
  file(path: string, size: number): FileProgress;
  /** A line of news (retries, skips) that must not garble the bars. */
  log(line: string): void;
  /** The dataset's transfer is over; stop timers and bars. */
  end(): void;
}

/** Options of {@linkcode createProgressReporter}. */
export interface ProgressOptions {
  /** Draw bars (cli-progress). Default: stderr is a terminal. */
  tty?: boolean;
  /** Plain mode: print a status line this often. Default 5000 ms. */
  intervalMs?: number;
  /** Plain mode: where lines go. Default `console.error`. */
  write?: (line: string) => void;
}

/** Overall byte counts and the rate of bytes moved in this run (resumed bytes excluded). */
class Totals {
  total = 0;
  done = 0;
  #startDone = 0;
  #startTime = Date.now();
  reset(total: number): void {
    this.total = total;
    this.done = 0;
    this.#startDone = 0;
    this.#startTime = Date.now();
  }
  /** Rebase the rate once the already-present bytes are counted. */
  markStart(): void {
    this.#startDone = this.done;
    this.#startTime = Date.now();
  }
  rate(): number {
    const seconds = (Date.now() - this.#startTime) / 1000;
    return seconds > 0 ? Math.max(0, this.done - this.#startDone) / seconds : 0;
  }
  summary(): { done: string; total: string; rate: string; eta: string; percent: number } {
    const rate = this.rate();
    return {
      done: formatBytes(this.done),
      total: formatBytes(this.total),
      rate: `${formatBytes(rate)}/s`,
      eta: formatDuration(rate > 0 ? (this.total - this.done) / rate : Infinity),
      percent: this.total > 0 ? Math.floor((100 * this.done) / this.total) : 100,
    };
  }
}

class TtyReporter implements ProgressReporter {
  #bars: cliProgress.MultiBar | null = null;
  #overall: cliProgress.SingleBar | null = null;
  #totals = new Totals();
  #name = "";

  begin(dataset: string, totalBytes: number): void {
    this.#name = dataset;
    this.#totals.reset(totalBytes);
    this.#bars = new cliProgress.MultiBar({
      format: "{name} |{bar}| {percentage}% {done}/{size} {rate} ETA {remaining}",
      barsize: 24,
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      stream: process.stderr,
    }, cliProgress.Presets.shades_classic);
    this.#overall = this.#bars.create(Math.max(1, totalBytes), 0, this.#payload());
  }

  #payload(): Record<string, string> {
    const s = this.#totals.summary();
    return {
      name: `${this.#name} (all)`,
      done: s.done,
      size: s.total,
      rate: s.rate,
      remaining: s.eta,
    };
  }

  file(path: string, size: number): FileProgress {
    const started = Date.now();
    const bars = this.#bars;
    const bar = bars?.create(Math.max(1, size), 0, {
      name: path.length > 40 ? `…${path.slice(-39)}` : path,
      done: formatBytes(0),
      size: formatBytes(size),
      rate: "",
      remaining: "",
    });
    let last = 0;
    let base = -1;
    return {
      update: (bytesDone) => {
        this.#totals.done += bytesDone - last;
        last = bytesDone;
        if (base < 0) base = bytesDone;
        const seconds = (Date.now() - started) / 1000;
        const rate = seconds > 0 ? Math.max(0, bytesDone - base) / seconds : 0;
        bar?.update(bytesDone, {
          done: formatBytes(bytesDone),
          rate: `${formatBytes(rate)}/s`,
          remaining: formatDuration(rate > 0 ? (size - bytesDone) / rate : Infinity),
        });
        this.#overall?.update(this.#totals.done, this.#payload());
      },
      finish: () => {
        if (bar) bars?.remove(bar);
      },
    };
  }

  log(line: string): void {
    if (this.#bars) this.#bars.log(`${line}\n`);
    else console.error(line);
  }

  end(): void {
    this.#overall?.update(this.#totals.done, this.#payload());
    this.#bars?.stop();
    this.#bars = null;
    this.#overall = null;
  }
}

class PlainReporter implements ProgressReporter {
  #totals = new Totals();
  #name = "";
  #files = 0;
  #finished = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #intervalMs: number;
  readonly #write: (line: string) => void;

  constructor(options: ProgressOptions) {
    this.#intervalMs = options.intervalMs ?? 5000;
    this.#write = options.write ?? ((line) => console.error(line));
  }

  begin(dataset: string, totalBytes: number, fileCount: number): void {
    this.#name = dataset;
    this.#files = fileCount;
    this.#finished = 0;
    this.#totals.reset(totalBytes);
    clearInterval(this.#timer);
    this.#timer = setInterval(() => this.#status(), this.#intervalMs);
  }

  #status(): void {
    const s = this.#totals.summary();
    this.#write(
      `${this.#name}: ${s.done} / ${s.total} (${s.percent}%), ${s.rate}, ETA ${s.eta}, ` +
        `${this.#finished}/${this.#files} files`,
    );
  }

  file(path: string, size: number): FileProgress {
    let last = 0;
    return {
      update: (bytesDone) => {
        this.#totals.done += bytesDone - last;
        last = bytesDone;
      },
      finish: (ok) => {
        if (!ok) return;
        this.#finished++;
        this.#write(`${this.#name}: ${path} (${formatBytes(size)}) done`);
      },
    };
  }

  log(line: string): void {
    this.#write(line);
  }

  end(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

/** A reporter drawing bars on a terminal, or printing plain periodic lines otherwise. */
export function createProgressReporter(options: ProgressOptions = {}): ProgressReporter {
  const tty = options.tty ?? Deno.stderr.isTerminal();
  return tty ? new TtyReporter() : new PlainReporter(options);
}
