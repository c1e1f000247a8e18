/**
 * `videoword score` in the bench: its cost (CPU s/video/core, one worker's peak memory with its
 * ffmpeg and tesseract children) and the legibility table, preset × dataset × CER, on held-out
 * rows (GSM8K test rows, BELLE rows past the embedded samples), silent at every preset and
 * narrated (espeak-ng) at the seed size. Targets: CER ≤ 1% English, ≤ 3% Chinese.
 *
 * Usage: deno run -A tasks/score_bench.ts [--score-videos N] [--presets seed,wan]
 * (also run by `deno task bench`, every preset)
 *
 * @module
 */
import { join } from "node:path";
import { runChecked } from "../src/process/mod.ts";
import { alignText, scoreDataset, scoreDefaults, type VideoScore } from "../src/score/mod.ts";

const ROOT = join(import.meta.dirname!, "..");
const ROWS = join(ROOT, "tests", "fixtures", "rows");
const PRESETS = ["seed", "wan", "hunyuan", "ltx", "cogvideox", "opensora"] as const;
/** Held-out rows: GSM8K's test split; BELLE rows after the ones embedded as samples. */
export const HELD_OUT = {
  gsm8k: { key: "gsm8k", input: join(ROWS, "gsm8k_test_head50.jsonl") },
  belle: { key: "belle_school_math", input: join(ROWS, "belle_head60.jsonl"), start: 20 },
} as const;

/**
 * The rows scored here: GSM8K from row 8 (rows 0-7 were looked at while the CER's space rule was
 * settled, #18).
 */
const DATASETS = [
  { ...HELD_OUT.gsm8k, start: 8, target: 0.01 },
  { ...HELD_OUT.belle, target: 0.03 },
] as const;

/** The value after `--NAME` on the command line, or `fallback` when it is not given. */
export function option(name: string, fallback: string): string {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Deno.args[i + 1] : fallback;
}

function flag(name: string, fallback: number): number {
  return Number(option(name, String(fallback)));
}

/**
 * The `deno` arguments that run `command` (`render`, `audio-render`) on `rows` held-out rows of
 * `dataset` at `preset` into `base`, without progress; `more` are added at the end.
 */
export function heldOutRender(
  command: string,
  dataset: { key: string; input: string; start: number },
  rows: number,
  preset: string,
  base: string,
  more: readonly string[] = [],
): string[] {
  return [
    "run",
    "-A",
    join(ROOT, "main.ts"),
    command,
    dataset.key,
    "--input",
    dataset.input,
    "--start-idx",
    String(dataset.start),
    "--num-samples",
    String(rows),
    "--preset",
    preset,
    "--base-dir",
    base,
    "--no-progress",
    ...more,
  ];
}

/** CPU seconds of this process with its waited-for children (ffmpeg, tesseract). */
function cpuSeconds(): number {
  const stat = Deno.readTextFileSync("/proc/self/stat");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return [11, 12, 13, 14].reduce((s, i) => s + Number(fields[i]) / 100, 0);
}

/** Resident memory (MB) of process `pid` and all its descendants now. */
function treeRssMb(pid: number): number {
  const parent = new Map<number, number>();
  const rss = new Map<number, number>();
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parent.set(Number(entry.name), Number(fields[1]));
      rss.set(Number(entry.name), Number(fields[21]) * 4096 / 1024 / 1024);
    } catch {
      // exited meanwhile
    }
  }
  const inTree = (p: number): boolean => {
    for (let at = p, hops = 0; at > 1 && hops < 64; at = parent.get(at) ?? 0, hops++) {
      if (at === pid) return true;
    }
    return false;
  };
  let total = 0;
  for (const [p, mb] of rss) if (inTree(p)) total += mb;
  return total;
}

async function render(
  base: string,
  preset: string,
  dataset: typeof DATASETS[number],
  n: number,
  narrated = false,
) {
  await runChecked(
    Deno.execPath(),
    heldOutRender(
      narrated ? "audio-render" : "render",
      dataset,
      n,
      preset,
      base,
      // Narrated: the local TTS engine (Edge TTS is not reachable from the bench).
      narrated ? ["--tts", "espeak"] : [],
    ),
    { tool: "deno", timeoutMs: 600_000 },
  );
  return join(base, narrated ? `${dataset.key}_audio` : dataset.key);
}

/**
 * English CER with every space counted (runs collapsed, nothing dropped): what the CER would be
 * without the normalisation of spaces next to punctuation, for the table's honesty column.
 */
function everySpaceCer(scores: VideoScore[]): number | null {
  let edits = 0;
  let chars = 0;
  const norm = (t: string) => t.normalize("NFKC").replace(/\s+/gu, " ").trim();
  for (const s of scores) {
    for (const page of s.pages) {
      const expected = norm(page.expected.join("\n"));
      edits += alignText(expected, norm(page.read)).distance;
      chars += [...expected].length;
    }
  }
  return chars === 0 ? null : edits / chars;
}

/** Run the score bench; `dir` is a scratch folder. */
export async function scoreBench(
  dir: string,
  videos: number,
  presets: readonly string[] = PRESETS,
): Promise<void> {
  const workers = navigator.hardwareConcurrency || 1;
  console.log(
    `\nscore: ${videos} held-out rows per dataset and preset, tesseract ${workers} workers`,
  );
  const table: string[] = [
    "| preset | size | dataset | videos | pages | CER | CER, every space | exact lines | answers | target |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  const pct = (x: number | null) => x === null ? "n/a" : `${(x * 100).toFixed(2)}%`;
  /** Score one rendered folder, add its table row, and return its CPU seconds and videos. */
  const scoreRow = async (
    label: string,
    folder: string,
    dataset: (typeof DATASETS)[number],
    narrated: boolean,
  ): Promise<{ cpu: number; samples: number }> => {
    const cpu0 = cpuSeconds();
    const { summary, scores } = await scoreDataset(folder, {
      ...scoreDefaults(),
      progress: "none",
      concurrency: workers,
    });
    const cpu = cpuSeconds() - cpu0;
    const size = scores[0] ? await sizeOf(scores[0].video) : "?";
    const reads = scores.reduce((n, s) => n + s.pages.length, 0);
    const everySpace = !narrated && dataset.key === "gsm8k" ? pct(everySpaceCer(scores)) : "n/a";
    const met = summary.cer !== null && summary.cer <= dataset.target ? "met" : "MISSED";
    table.push(
      `| ${label} | ${size} | ${dataset.key} | ${summary.samples} | ` +
        `${reads}${narrated ? " cues+pages" : ""} | ${pct(summary.cer)} | ${everySpace} | ` +
        `${pct(summary.exact_line_accuracy)} | ${pct(summary.answer_accuracy)} | ` +
        `≤ ${pct(dataset.target)} ${met} |`,
    );
    for (const p of summary.problems) console.log(`  ${label} ${p.key}: ${p.problem}`);
    return { cpu, samples: summary.samples };
  };
  let cpu = 0;
  let scored = 0;
  let lastDir = "";
  for (const preset of presets) {
    for (const dataset of DATASETS) {
      lastDir = await render(join(dir, "score", preset), preset, dataset, videos);
      const row = await scoreRow(preset, lastDir, dataset, false);
      cpu += row.cpu;
      scored += row.samples;
    }
  }
  // Narrated videos (espeak-ng), seed size: every subtitle cue and prompt page read.
  let narratedCpu = 0;
  let narratedScored = 0;
  for (const dataset of DATASETS) {
    const folder = await render(join(dir, "score", "narrated"), "seed", dataset, videos, true);
    const row = await scoreRow("narrated seed", folder, dataset, true);
    narratedCpu += row.cpu;
    narratedScored += row.samples;
  }
  console.log(table.join("\n"));
  console.log(
    `score cost: ${(cpu / scored).toFixed(3)} s/video/core (CPU of this process + ffmpeg + ` +
      `tesseract children, ${scored} videos, all presets)`,
  );
  console.log(
    `score cost, narrated: ${(narratedCpu / Math.max(1, narratedScored)).toFixed(3)} ` +
      `s/video/core (${narratedScored} videos, every cue and prompt page)`,
  );
  // One worker's peak memory on the largest frames (the last preset, Chinese): `score --jobs 1`, polled with its children.
  await Deno.remove(join(lastDir, "score"), { recursive: true });
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(ROOT, "main.ts"), "score", lastDir, "--jobs", "1", "--json"],
    stdout: "null",
    stderr: "null",
  }).spawn();
  let peak = 0;
  const timer = setInterval(() => peak = Math.max(peak, treeRssMb(child.pid)), 20);
  await child.status;
  clearInterval(timer);
  console.log(
    `score peak memory, one worker (deno + ffmpeg + tesseract): ${peak.toFixed(0)} MB ` +
      `(target < 300 MB/worker)`,
  );
}

async function sizeOf(video: string): Promise<string> {
  const { stdout } = await runChecked("ffprobe", [
    "-v",
    "error",
    "-select_streams",
    "v:0",
    "-show_entries",
    "stream=width,height",
    "-of",
    "csv=p=0:s=x",
    video,
  ]);
  return new TextDecoder().decode(stdout).trim();
}

if (import.meta.main) {
  const dir = await Deno.makeTempDir({ prefix: "videoword-score-bench-" });
  try {
    const i = Deno.args.indexOf("--presets");
    const presets = i >= 0 ? Deno.args[i + 1].split(",") : PRESETS;
    await scoreBench(dir, flag("score-videos", 6), presets);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
