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

/** One declarative dataset module: where its rows live on the Hub and how to clean them. */
export interface DatasetSpec {
  /** CLI key, e.g. `gsm8k`. */
  key: string;
  /** Hub dataset repo id, e.g. `openai/gsm8k`. */
  repo: string;
  language: Language;
  kind: DatasetKind;
  /** Human size hint for `download --list`, e.g. `"7.5k rows, 4 MB"`. */
  approxSize: string;
  /** Glob patterns (repo paths) of the train split's files, read in sorted path order. */
  files: string[];
  /** Turn one raw row (parsed JSON object / Parquet record) into display text. */
  clean(row: unknown): CleanResult;
  templates: PromptTemplates;
}

/** A cleaned row, ready for layout. `index` is the row's position in the train split. */
export interface Sample {
  index: number;
  prompt: string;
  response: string;
}
