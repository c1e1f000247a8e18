import {
  Command,
  type CommandUnknownOpts,
  InvalidArgumentError,
} from "@commander-js/extra-typings";
import { checkTool } from "../process/mod.ts";
import { loadConfigFile } from "../config/mod.ts";
import {
  formatSummary,
  scoreDataset,
  scoreDefaults,
  type ScoreOptions,
  writeReport,
} from "../score/mod.ts";

function positive(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw new InvalidArgumentError("must be a positive integer");
  return n;
}

function fraction(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !(n >= 0 && n <= 1)) {
    throw new InvalidArgumentError("must be a number from 0 to 1");
  }
  return n;
}

function mode(value: string): "rendering" | "inference" {
  if (value === "rendering" || value === "inference") return value;
  throw new InvalidArgumentError("must be rendering or inference");
}

/** `videoword score BASE/DATASET`: OCR the videos and compare with their manifest lines. */
export function scoreCommand(): CommandUnknownOpts {
  const defaults = scoreDefaults();
  return new Command("score")
    .description(
      "Read the text of every video the manifests of BASE/DATASET list back with OCR (tesseract) " +
        "and compare it with what the line says it shows: character error rate, exact lines, " +
        "math answers. With --videos, score a model's generated videos (named by the manifest's " +
        "keys) by their final frames. Per-video lines go to BASE/DATASET/score/; a re-run skips " +
        `videos already scored. Videos with CER above ${defaults.flagCer} are flagged (exit 1).`,
    )
    .argument("<dir>", "dataset output folder, e.g. output/gsm8k")
    .option("--mode <mode>", "manifests to read: rendering or inference", mode, defaults.mode)
    .option("--videos <dir>", "score generated videos in DIR (files named like DATASET_000123.mp4)")
    .option("--jobs <n>", "videos scored at once (default: CPU count)", positive)
    .option("--flag-cer <x>", "flag videos whose CER is above this", fraction, defaults.flagCer)
    .option("--json", "print the summary as one JSON object")
    .option("--report <file>", "write a self-contained HTML report to FILE")
    .action(async (dir, flags) => {
      // Datasets declared in ./videoword.jsonc are scored by their declared kind and language.
      await loadConfigFile();
      const options: ScoreOptions = {
        ...defaults,
        mode: flags.mode,
        videos: flags.videos ?? null,
        concurrency: flags.jobs ?? defaults.concurrency,
        flagCer: flags.flagCer,
      };
      await checkTool(options.tools.ffmpegBin);
      await checkTool(options.tools.tesseractBin, {
        tool: "tesseract",
        versionArgs: ["--version"],
      });
      const { summary, scores } = await scoreDataset(dir, options);
      if (flags.report) {
        await writeReport(flags.report, [{ summary, scores }], { tools: options.tools });
      }
      console.log(flags.json ? JSON.stringify(summary) : formatSummary(summary));
      if (summary.flagged.length > 0) Deno.exitCode = 1;
    });
}
