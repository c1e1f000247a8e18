/**
 * `--style varied` legibility (#19): the same held-out rows rendered in the seed's look and in
 * varied looks, read back by `videoword score`, CER per font family against the seed on the same
 * rows. Targets: varied within 1 point of seed for English, within 2 for Chinese.
 *
 * Usage: deno run -A tasks/style_legibility.ts [--rows 24] [--presets seed,wan] [--style-seed 0]
 *
 * @module
 */
import { join } from "node:path";
import { runChecked } from "../src/process/mod.ts";
import { scoreDataset, scoreDefaults, type VideoScore } from "../src/score/mod.ts";
import { HELD_OUT, heldOutRender, option } from "./score_bench.ts";

/** The held-out rows, GSM8K's from row 0. */
const DATASETS = [
  { ...HELD_OUT.gsm8k, start: 0, points: 1 },
  { ...HELD_OUT.belle, points: 2 },
] as const;

type Dataset = typeof DATASETS[number];

async function renderAndScore(
  base: string,
  preset: string,
  dataset: Dataset,
  style: { name: string; seed: string; rows: number },
): Promise<{ scores: Map<number, VideoScore>; fonts: Map<number, string> }> {
  await runChecked(
    Deno.execPath(),
    heldOutRender("render", dataset, style.rows, preset, base, [
      "--style",
      style.name,
      "--style-seed",
      style.seed,
    ]),
    { tool: "deno", timeoutMs: 1_800_000 },
  );
  const folder = join(base, dataset.key);
  const { scores } = await scoreDataset(folder, {
    ...scoreDefaults(),
    progress: "none",
    concurrency: navigator.hardwareConcurrency || 1,
  });
  const fonts = new Map<number, string>();
  for await (const entry of Deno.readDir(folder)) {
    if (!/_rendering_video_data.*\.jsonl$/.test(entry.name)) continue;
    for (const line of (await Deno.readTextFile(join(folder, entry.name))).trim().split("\n")) {
      const parsed = JSON.parse(line);
      fonts.set(parsed.index, `${parsed.style.font_family}`);
    }
  }
  return { scores: new Map(scores.map((s) => [s.index, s])), fonts };
}

/** Edits and reference characters of a video's pages. */
function errors(score: VideoScore): [number, number] {
  return [
    score.pages.reduce((n, p) => n + p.edits, 0),
    score.pages.reduce((n, p) => n + p.chars, 0),
  ];
}

/** Print the varied-vs-seed tables; `dir` is a scratch folder. */
export async function styleLegibility(
  dir: string,
  options: { rows: number; presets: string[]; seed: string },
): Promise<void> {
  const pct = (e: number, c: number) => c === 0 ? "n/a" : `${((100 * e) / c).toFixed(2)} %`;
  for (const preset of options.presets) {
    for (const dataset of DATASETS) {
      const run = (name: string) =>
        renderAndScore(join(dir, preset, name), preset, dataset, { ...options, name });
      const seed = await run("seed");
      const varied = await run("varied");
      const perFont = new Map<string, { rows: number; varied: number[]; seed: number[] }>();
      const total = { varied: [0, 0], seed: [0, 0] };
      for (const [index, score] of varied.scores) {
        const other = seed.scores.get(index);
        if (!other || score.cer === null || other.cer === null) continue;
        const family = varied.fonts.get(index) ?? "?";
        const entry = perFont.get(family) ?? { rows: 0, varied: [0, 0], seed: [0, 0] };
        const [ve, vc] = errors(score);
        const [se, sc] = errors(other);
        entry.rows++;
        entry.varied[0] += ve;
        entry.varied[1] += vc;
        entry.seed[0] += se;
        entry.seed[1] += sc;
        perFont.set(family, entry);
        total.varied[0] += ve;
        total.varied[1] += vc;
        total.seed[0] += se;
        total.seed[1] += sc;
      }
      const gap = (100 * total.varied[0]) / total.varied[1] -
        (100 * total.seed[0]) / total.seed[1];
      console.log(
        `\n${preset} ${dataset.key}: varied ${pct(total.varied[0], total.varied[1])} vs seed ` +
          `${pct(total.seed[0], total.seed[1])} CER (${gap >= 0 ? "+" : ""}${gap.toFixed(2)} ` +
          `points; target within ${dataset.points}: ${gap <= dataset.points ? "met" : "MISSED"})`,
      );
      console.log("| font | rows | varied CER | seed CER, same rows |\n| --- | --- | --- | --- |");
      for (const [family, e] of [...perFont].sort(([a], [b]) => a.localeCompare(b))) {
        console.log(
          `| ${family} | ${e.rows} | ${pct(e.varied[0], e.varied[1])} | ` +
            `${pct(e.seed[0], e.seed[1])} |`,
        );
      }
    }
  }
}

if (import.meta.main) {
  const dir = await Deno.makeTempDir({ prefix: "videoword-style-legibility-" });
  try {
    await styleLegibility(dir, {
      rows: Number(option("rows", "24")),
      presets: option("presets", "seed").split(","),
      seed: option("style-seed", "0"),
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
