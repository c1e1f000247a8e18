import { resolve } from "node:path";
import {
  checkDatasetFields,
  type DatasetSpec,
  readSamples,
  resolveDatasetFiles,
  sampleFiles,
} from "../datasets/mod.ts";
import { DEFAULT_SPLIT, splitOutputName } from "../paths/mod.ts";
import { readDownloadManifest } from "../hub/mod.ts";
import { recordByteBound } from "../readers/mod.ts";
import { renderShard, type SampleRenderer, type ShardOptions } from "./_shard.ts";
import type { ShardStats } from "./_shard_stats.ts";

/** Where rows come from: the downloaded Hub files, the user's own files, or the embedded samples. */
export interface SourceOptions {
  dataDir: string;
  /** `--input` files; when given they replace the dataset's downloaded files. */
  inputs?: string[];
  /**
   * `samples`: the rows embedded in the program.
   * @default {"hub"}
   */
  source?: "hub" | "samples";
  /**
   * The split read: its downloaded files are in `dataDir/DATASET-SPLIT` (the key alone for
   * train), a declared dataset's in its split's `files`.
   * @default {"train"}
   */
  split?: string;
}

/** The files to read and, when the download manifest knows it, the split's row count. */
export interface ResolvedSource {
  files: string[];
  totalRows?: number;
  description: string;
}

/** Find the files a render reads, with a one-line error naming the download command if absent. */
export async function resolveSource(
  spec: DatasetSpec,
  options: SourceOptions,
): Promise<ResolvedSource> {
  if (options.inputs && options.inputs.length > 0) {
    const files = options.inputs.map((f) => resolve(f));
    for (const file of files) {
      try {
        await Deno.stat(file);
      } catch {
        throw new Error(`input file not found: ${file}`);
      }
    }
    return { files, description: files.join(", ") };
  }
  const split = options.split ?? DEFAULT_SPLIT;
  if (options.source === "samples") {
    if (split !== DEFAULT_SPLIT) {
      throw new Error(`the embedded samples are train rows: --source samples takes no --split`);
    }
    return { files: sampleFiles(spec), description: "embedded samples" };
  }
  const dataDir = resolve(options.dataDir);
  const files = await resolveDatasetFiles(spec, dataDir, { split });
  // A declared field the data lacks fails here, once, listing the columns it has.
  await checkDatasetFields(spec, files);
  if (spec.repo === null) return { files, description: files.join(", ") };
  const name = splitOutputName(spec.key, split);
  const manifest = await readDownloadManifest(dataDir, name).catch(() => null);
  return {
    files,
    totalRows: manifest?.rowCount,
    description: `${dataDir}/${name}`,
  };
}

/** One render run over rows `[start, start + count)` of a dataset. */
export interface RenderRunOptions extends SourceOptions, Omit<ShardOptions, "expectedRows"> {}

/** Resolve the source, stream its samples through `renderer`, and return the shard's stats. */
export async function runRender(
  spec: DatasetSpec,
  renderer: SampleRenderer,
  options: RenderRunOptions,
): Promise<ShardStats> {
  const source = await resolveSource(spec, options);
  const remaining = source.totalRows === undefined
    ? undefined
    : Math.max(0, source.totalRows - options.start);
  return await renderShard(
    spec,
    readSamples(spec, source.files, {
      start: options.start,
      count: options.count,
      // A 2 GB line must not be buffered to find out it is too long.
      maxRecordBytes: recordByteBound(options.maxTextChars),
    }),
    {
      ...options,
      expectedRows: options.count === undefined
        ? remaining
        : Math.min(options.count, remaining ?? options.count),
      renderer,
    },
  );
}
