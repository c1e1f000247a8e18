import { Command, type CommandUnknownOpts } from "@commander-js/extra-typings";
import { join, resolve } from "node:path";
import {
  DATASET_KEYS,
  type DatasetSpec,
  getDataset,
  hasSplit,
  listDatasets,
} from "../datasets/mod.ts";
import { addTableOptions } from "../options/mod.ts";
import { DEFAULT_SPLIT, splitOutputName } from "../paths/mod.ts";
import { datasetState, downloadDataset, HubClient, hubConfigFromEnv } from "../hub/mod.ts";
import { defaultRetryBaseMs } from "../retry/mod.ts";
import { DEFAULT_PIPER_VOICES, downloadVoice, readVoiceManifest } from "../tts/mod.ts";
import { firstLine } from "../errors/mod.ts";
import { formatBytes } from "../progress/mod.ts";
import { addPrintConfig, resolveTableOptions } from "./_render_options.ts";

/** `download`'s actions (its settings are the table's `DOWNLOAD_OPTIONS`). */
type DownloadActions = {
  force?: true;
  list?: true;
  voice?: string[];
  printConfig?: true;
};

/** Size of a medium Piper voice's model (63.2 MB for en_US-lessac-medium), shown before download. */
const MEDIUM_VOICE_SIZE = "63 MB";

/** Error text with the token blotted out, in case a server echoed it back. */
function redact(message: string, token: string | null): string {
  return token ? message.replaceAll(token, "***") : message;
}

/** The splits a dataset declares, `train` first (for `--list`). */
function declaredSplits(spec: DatasetSpec): string[] {
  const splits = Object.keys(spec.splits);
  return splits.length === 0 ? [DEFAULT_SPLIT] : splits;
}

async function printList(dataDir: string, split: string): Promise<void> {
  const rows: string[][] = [["DATASET", "SOURCE", "LANG", "SPLITS", "SIZE", "LICENSE", "LOCAL"]];
  for (const spec of listDatasets()) {
    let local: string;
    if (spec.repo === null) {
      local = "local files (declared in videoword.jsonc)";
    } else if (!hasSplit(spec, split)) {
      local = `no split '${split}'`;
    } else {
      const state = await datasetState(dataDir, spec, { split });
      local = state.state === "complete"
        ? `present: ${state.manifest.rowCount.toLocaleString("en-US")} rows, ` +
          `${state.manifest.revision} @ ${state.manifest.commit.slice(0, 12)}`
        : state.state === "partial"
        ? "partial (run download again to resume)"
        : "not downloaded";
    }
    rows.push([
      spec.builtIn ? spec.key : `${spec.key} (declared)`,
      spec.repo ?? "local files",
      spec.language,
      declaredSplits(spec).join(","),
      spec.approxSize,
      spec.license,
      local,
    ]);
  }
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  for (const row of rows) {
    console.log(
      row.map((cell, i) => i < row.length - 1 ? cell.padEnd(widths[i]) : cell).join("  "),
    );
  }
  await printVoices(join(dataDir, "voices"));
}

/** Piper voices: the defaults and any other downloaded, with their size. */
async function printVoices(voicesDir: string): Promise<void> {
  const names = new Set<string>(Object.values(DEFAULT_PIPER_VOICES));
  try {
    for await (const entry of Deno.readDir(voicesDir)) {
      const match = /^(.+)\.manifest\.json$/.exec(entry.name);
      if (match) names.add(match[1]);
    }
  } catch {
    // no voices yet
  }
  const rows: string[][] = [["VOICE (--tts piper)", "HUB REPO", "SIZE", "LOCAL"]];
  for (const name of [...names].sort()) {
    const manifest = await readVoiceManifest(voicesDir, name);
    const bytes = manifest?.files.reduce((n, f) => n + f.size, 0);
    rows.push([
      name,
      "rhasspy/piper-voices",
      bytes === undefined
        ? (name.endsWith("-medium") ? `~${MEDIUM_VOICE_SIZE}` : "?")
        : formatBytes(bytes),
      manifest
        ? `present: ${manifest.revision} @ ${manifest.commit.slice(0, 12)}`
        : "not downloaded",
    ]);
  }
  console.log("");
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  for (const row of rows) {
    console.log(
      row.map((cell, i) => i < row.length - 1 ? cell.padEnd(widths[i]) : cell).join("  "),
    );
  }
}

/**
 * `videoword download [DATASET|all]`: fetch one split's files (default train) of one or all
 * datasets from the Hugging Face Hub (`HF_ENDPOINT`, `HF_TOKEN`) into `DATA_DIR/DATASET/`
 * (`DATA_DIR/DATASET-SPLIT/` for other splits), resuming partial downloads, and write each
 * one's `manifest.json`; `--list` shows what is there. Datasets declared in `videoword.jsonc`
 * count like the built-ins.
 */
export function downloadCommand(): CommandUnknownOpts {
  const command = new Command("download")
    .description(
      "Download datasets' split files (default train) from the Hugging Face Hub into " +
        "DATA_DIR/DATASET, or DATA_DIR/DATASET-SPLIT for other splits " +
        "(endpoint: HF_ENDPOINT, token: HF_TOKEN or the HF token file)",
    )
    .argument(
      "[dataset]",
      `dataset key (${DATASET_KEYS.join(", ")}, or one declared in videoword.jsonc) or 'all'`,
      "all",
    )
    .option("--force", "download again even if a complete copy is present")
    .option("--list", "list datasets and what is downloaded, then exit")
    .option(
      "--voice <name>",
      "download a Piper voice (e.g. en_US-lessac-medium) from rhasspy/piper-voices into " +
        "DATA_DIR/voices instead of datasets; repeatable",
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    );
  addTableOptions(command, "download");
  addPrintConfig(command);
  return command.action(async (dataset, _options, self) => {
    const options = self.opts() as DownloadActions;
    // Resolved once, as render's: the settings file's data_dir is where render will look, and
    // the datasets it declares are downloaded and listed like the built-ins.
    const values = await resolveTableOptions("download", self);
    if (!values) return; // --print-config
    const dataDir = resolve(values.dataDir);
    if (options.list) {
      await printList(dataDir, values.split);
      return;
    }
    const config = hubConfigFromEnv();
    if (options.voice) {
      const client = new HubClient(config, { baseDelayMs: defaultRetryBaseMs() });
      for (const voice of options.voice) {
        try {
          const { manifest, transferred } = await downloadVoice(client, voice, {
            voicesDir: join(dataDir, "voices"),
            revision: values.revision,
            force: options.force,
          });
          const size = manifest.files.reduce((n, f) => n + f.size, 0);
          console.log(
            `${voice}: ${formatBytes(size)} (${formatBytes(transferred)} fetched), ` +
              `${manifest.revision} @ ${manifest.commit.slice(0, 12)} -> ${
                join(dataDir, "voices")
              }`,
          );
        } catch (error) {
          throw new Error(`${voice}: ${redact(firstLine(error), config.token)}`);
        }
      }
      return;
    }
    const split = values.split;
    // `all`: every Hub dataset that has the split (local files need no download).
    const specs: DatasetSpec[] = dataset === "all"
      ? listDatasets().filter((spec) => spec.repo !== null && hasSplit(spec, split))
      : [getDataset(dataset)];
    if (specs.length === 0) throw new Error(`no Hub dataset declares a split '${split}'`);
    const client = new HubClient(config, {
      baseDelayMs: defaultRetryBaseMs(),
      onRetry: ({ delayMs, error }) =>
        console.error(
          `videoword: ${redact(error.message, config.token)}; retrying in ${
            (delayMs / 1000).toFixed(1)
          } s`,
        ),
    });
    const failed: string[] = [];
    for (const spec of specs) {
      try {
        const result = await downloadDataset(client, spec, {
          dataDir,
          split,
          revision: values.revision,
          force: options.force,
          concurrency: values.concurrency,
        });
        const m = result.manifest;
        const what = `${m.rowCount.toLocaleString("en-US")} rows, ${m.revision} @ ${
          m.commit.slice(0, 12)
        }`;
        console.log(
          result.status === "skipped"
            ? `${m.dataset}: already downloaded (${what}); use --force to fetch again`
            : `${m.dataset}: ${m.files.length} file(s), ${formatBytes(result.transferred)} ` +
              `fetched, ${what} -> ${resolve(dataDir, m.dataset)}`,
        );
      } catch (error) {
        const message = redact(firstLine(error), config.token);
        const name = splitOutputName(spec.key, split);
        if (specs.length === 1) throw new Error(`${name}: ${message}`);
        console.error(`videoword: ${name}: ${message}`);
        failed.push(name);
      }
    }
    if (failed.length > 0) {
      throw new Error(
        `${failed.length} of ${specs.length} datasets failed (${failed.join(", ")}); ` +
          `the others are ready`,
      );
    }
  });
}
