// @ts-types="@types/cli-progress"
import cliProgress from "cli-progress";
import { formatDuration } from "./format.ts";

/** Counters shown by the row progress display. */
export interface RowCounts {
  done: number;
  rendered: number;
  skipped: number;
  failed: number;
}

/** A progress display: a bar on a TTY, periodic plain lines otherwise (Slurm logs). */
export interface RowProgress {
  update(counts: RowCounts): void;
  stop(): void;
}

/** How to show progress. */
export interface RowProgressOptions {
  label: string;
  /** Rows expected; unknown totals show counts and rate without ETA. */
  total?: number;
  enabled?: boolean;
  /** Seconds between plain lines when not on a TTY (default 30). */
  intervalSeconds?: number;
}

/** Start a progress display on stderr. */
export function startRowProgress(options: RowProgressOptions): RowProgress {
  if (options.enabled === false) return { update() {}, stop() {} };
  const started = performance.now();
  if (Deno.stderr.isTerminal()) {
    const bar = new cliProgress.SingleBar({
      format: `${options.label} [{bar}] {percentage}% {value}/{total} | ` +
        `{rendered} ok {skipped} skipped {failed} failed | {rate}/s | ETA {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 50,
    }, cliProgress.Presets.shades_classic);
    bar.start(options.total ?? 0, 0, { rendered: 0, skipped: 0, failed: 0, rate: "0.0" });
    return {
      update(counts) {
        const rate = counts.done / Math.max(1e-3, (performance.now() - started) / 1000);
        bar.update(counts.done, { ...counts, rate: rate.toFixed(1) });
      },
      stop() {
        bar.stop();
      },
    };
  }
  const interval = (options.intervalSeconds ?? 30) * 1000;
  let last = started;
  let latest: RowCounts | null = null;
  const print = (counts: RowCounts) => {
    const elapsed = (performance.now() - started) / 1000;
    const rate = counts.done / Math.max(1e-3, elapsed);
    const total = options.total;
    const eta = total ? ` | ETA ${formatDuration((total - counts.done) / rate)}` : "";
    console.error(
      `${options.label}: ${counts.done}${total ? `/${total}` : ""} rows | ${counts.rendered} ok ` +
        `${counts.skipped} skipped ${counts.failed} failed | ${rate.toFixed(2)} rows/s${eta}`,
    );
  };
  return {
    update(counts) {
      latest = counts;
      const now = performance.now();
      if (now - last >= interval) {
        last = now;
        print(counts);
      }
    },
    stop() {
      if (latest && performance.now() - started >= interval) print(latest);
    },
  };
}
