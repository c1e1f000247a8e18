/** The summary of one shard run: what it counts, and how it reads to a person. */
import type { VideoKind } from "../paths/mod.ts";

/** The run summary, printed and written as `DATASET_stats_START.json`. */
export interface ShardStats {
  dataset: string;
  kind: VideoKind;
  start: number;
  requested: number | null;
  rows: number;
  rendered: number;
  /**
   * Of `rendered`: complete videos of an earlier run made again because their embedded
   * fingerprint was not this run's (the row's text or a setting changed, or an older release).
   */
  rerendered: number;
  reused: number;
  skipped: number;
  skipped_by_reason: Record<string, number>;
  failed: number;
  failed_by_reason: Record<string, number>;
  failures: { index: number; error: string }[];
  bytes: number;
  seconds: number;
  videos_per_second: number;
  manifests: string[];
}

/** `"missing field 'x': detail"` → `"missing field 'x'"`: counts group by the stable key. */
export function reasonKey(reason: string): string {
  const colon = reason.indexOf(":");
  return (colon > 0 ? reason.slice(0, colon) : reason).trim();
}

/** One-paragraph human summary of a shard's stats. */
export function formatStats(stats: ShardStats): string {
  const skipped = Object.entries(stats.skipped_by_reason).map(([k, v]) => `${k}: ${v}`).join(", ");
  const failed = Object.entries(stats.failed_by_reason).map(([k, v]) => `${k}: ${v}`).join(", ");
  const kb = stats.rendered + stats.reused > 0
    ? (stats.bytes / (stats.rendered + stats.reused) / 1024).toFixed(1)
    : "0";
  return [
    `${stats.dataset}${stats.kind === "narrated" ? " (narrated)" : ""} rows ${stats.start}..${
      stats.start + stats.rows
    }: ${stats.rendered} rendered, ${stats.reused} kept from an earlier run, ` +
    `${stats.skipped} skipped, ${stats.failed} failed in ${stats.seconds.toFixed(1)} s ` +
    `(${stats.videos_per_second.toFixed(2)} videos/s, ${kb} KB/video)`,
    ...(stats.rerendered ? [`  re-rendered: input or options changed: ${stats.rerendered}`] : []),
    ...(skipped ? [`  skipped: ${skipped}`] : []),
    ...(failed ? [`  failed: ${failed}`] : []),
    ...stats.manifests.map((m) => `  manifest: ${m}`),
  ].join("\n");
}

/** Stats of a shard run that has not emitted a row yet. */
export function newShardStats(
  shard: { dataset: string; kind: VideoKind; start: number; requested: number | null },
  manifests: string[],
): ShardStats {
  return {
    ...shard,
    rows: 0,
    rendered: 0,
    rerendered: 0,
    reused: 0,
    skipped: 0,
    skipped_by_reason: {},
    failed: 0,
    failed_by_reason: {},
    failures: [],
    bytes: 0,
    seconds: 0,
    videos_per_second: 0,
    manifests,
  };
}

/** Count a skipped (`what` = "skipped") or failed row under its reason's stable key. */
export function countProblem(
  stats: ShardStats,
  what: "skipped" | "failed",
  row: { index: number; reason: string },
): void {
  const key = reasonKey(row.reason);
  if (what === "skipped") {
    stats.skipped++;
    stats.skipped_by_reason[key] = (stats.skipped_by_reason[key] ?? 0) + 1;
    return;
  }
  stats.failed++;
  stats.failed_by_reason[key] = (stats.failed_by_reason[key] ?? 0) + 1;
  if (stats.failures.length < 100) stats.failures.push({ index: row.index, error: row.reason });
}
