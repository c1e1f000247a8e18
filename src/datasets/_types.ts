/** Language of a dataset's text: decides segmentation, fonts and TTS voices. */
export type Language = "en" | "zh";

/** Math datasets have a question/answer; story datasets an opening/continuation. */
export type DatasetKind = "math" | "story";

/** The prompt texts written to the manifests; `{prompt}`, `{response}`, `{seconds}`, `{spoken}`. */
export interface PromptTemplates {
  /** Silent video, prompt only. */
  inference: string;
  /** Silent video, prompt and answer. */
  rendering: string;
  /** Narrated video, prompt only. */
  audioInference: string;
  /** Narrated video, prompt and spoken text. */
  audioRendering: string;
}

/** A dataset row turned into display text, or the reason it cannot be used. */
export type CleanResult =
  | { ok: true; prompt: string; response: string }
  | { ok: false; reason: string };

/**
 * A dataset as the program uses it, compiled from its declaration (built in, or a user's
 * `datasets` entry in `videoword.jsonc`): where its rows live and how to clean them.
 */
export interface DatasetSpec {
  /** CLI key, e.g. `gsm8k`. */
  key: string;
  /** Hub dataset repo id, e.g. `openai/gsm8k`; `null` for a dataset of local files. */
  repo: string | null;
  /** Hub dataset config, e.g. `main`; `null` when the declaration names none. */
  config: string | null;
  language: Language;
  kind: DatasetKind;
  /** Human size hint for `download --list`, e.g. `"7.5k rows, 4 MB"` (`"?"` when undeclared). */
  approxSize: string;
  /** Glob patterns of the train split's files (see {@linkcode DatasetSpec.splits}). */
  files: string[];
  /**
   * Glob patterns of each declared split's files, read in sorted path order: repo paths for a
   * Hub dataset, absolute paths for local files. Empty for a Hub dataset that declares no
   * splits: then `CONFIG/SPLIT-*.parquet` (or `data/SPLIT-*.parquet`) is assumed.
   */
  splits: Record<string, string[]>;
  /** SPDX-style licence of the data, e.g. `MIT`; `"unknown"` when undeclared. */
  license: string;
  /** Declared in the program (`true`) or in the user's `videoword.jsonc`. */
  builtIn: boolean;
  /**
   * The row fields the cleaning reads (dotted paths), required ones only: `render` checks them
   * against the columns of the data before it starts.
   */
  requiredFields: string[];
  /** Turn one raw row (parsed JSON object / Parquet record) into display text. */
  clean(row: unknown): CleanResult;
  templates: PromptTemplates;
}

/** A cleaned row, ready for layout. `index` is the row's position in its split. */
export interface Sample {
  index: number;
  prompt: string;
  response: string;
}
