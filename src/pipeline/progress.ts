// @ts-types="@types/cli-progress"
import cliProgress from "cli-progress";

/** Counters shown by the progress display. */
export interface ProgressCounts {
  done: number;
  rendered: number;
  skipped: number;
  failed: number;
}

/** A progress display: a bar on a TTY, periodic plain lines otherwise (Slurm logs). */
export interface ProgressReporter {
  update(counts: ProgressCounts): void;
  stop(): void;
}

/** How to show progress. */
export interface ProgressOptions {
  label: string;
  /** Rows expected; unknown totals show counts and rate without ETA. */
  total?: number;
  enabled?: boolean;
  /** Seconds between plain lines when not on a TTY (default 30). */
  intervalSeconds?: number;
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, "0")}m` : `${m}m${String(s % 60).padStart(2, "0")}s`;
}

/** Start a progress display on stderr. */
export function startProgress(options: ProgressOptions): ProgressReporter {
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
  let latest: ProgressCounts | null = null;
  const print = (counts: ProgressCounts) => {
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
