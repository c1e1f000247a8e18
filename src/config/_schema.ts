/** The shape of `videoword.jsonc`, its defaults, and a small declarative schema used to validate it. */
import { DATASET_KEYS, KNOWN_PLACEHOLDERS_ONLY, TEMPLATE_PLACEHOLDERS } from "../datasets/mod.ts";
import { builtInDefault, OPTIONS } from "../options/mod.ts";
import { TIME_PATTERN } from "../slurm/mod.ts";

/** Cluster settings used by `videoword submit`. */
export interface SlurmConfig {
  /** Cap on array tasks per dataset × task (`null`: as many as `samples_per_node` needs). */
  nodes: number | null;
  /** Rows each array task renders (grown automatically when `nodes` caps the array). */
  samples_per_node: number;
  /** `--cpus-per-task`; render uses `SLURM_CPUS_PER_TASK` workers. */
  cpus_per_task: number;
  /** `--partition`, or `null` for the cluster default. */
  partition: string | null;
  /** `--time` limit, `HH:MM:SS` or `D-HH:MM:SS`. */
  time: string;
  /** `--mem`, e.g. `"16G"`, or `null` for the cluster default. */
  mem: string | null;
  /** Folder for `%x_%A_%a.out|err` logs; `null`: `BASE_DIR/logs`. */
  logs_dir: string | null;
  /** Extra `sbatch` arguments, e.g. `["--account=proj", "--qos=normal"]`. */
  sbatch_args: string[];
}

/** Defaults for `videoword render` / `audio-render`. */
export interface RenderConfig {
  /** Video codec: `h264` (libx264) or `mpeg4` (the old OpenCV `mp4v` look). */
  codec: "h264" | "mpeg4";
  /** x264 CRF (0–51) or mpeg4 quantiser scale; `null`: the encoder's default (23 / 4). */
  crf: number | null;
  /** x264 preset. */
  preset: string;
  /** H.264 encoder; `null`: the default (x264; `native` opts in to the built-in encoder). */
  encoder: "native" | "x264" | null;
  /** Quantiser of the native encoder (12–51). */
  qp: number;
  /** A prompt too long for the first page: `paginate`, `shrink` the font, or `skip` the row. */
  long_prompt: "paginate" | "shrink" | "skip";
  /** Frames each prompt-only page is held for under `paginate`. */
  prompt_page_frames: number;
  /** Base font size in pixels. */
  font_size: number;
}

/** Per-dataset overrides of the manifest prompt templates. */
export interface TemplateOverrides {
  inference?: string;
  rendering?: string;
  audio_inference?: string;
  audio_rendering?: string;
}

/** The merged configuration (defaults ← file). */
export interface VideowordConfig {
  /** Output root (videos, manifests, logs). */
  base_dir: string;
  /** Where `videoword download` put the datasets. */
  data_dir: string;
  slurm: SlurmConfig;
  render: RenderConfig;
  /** `{ "<dataset>": { inference?, rendering?, audio_inference?, audio_rendering? } }`. */
  templates: Record<string, TemplateOverrides>;
  /**
   * The user's own datasets, `{ "<key>": declaration }` in the built-ins' format (README
   * "Datasets"); checked by the datasets module.
   */
  datasets: Record<string, unknown>;
  /** The file the values came from, or `null` when only defaults apply. */
  source: string | null;
}

/**
 * Built-in defaults; the same values `videoword.example.jsonc` documents. The render and submit
 * values come from the option table (`src/options/`), their one home.
 */
export function defaultConfig(): VideowordConfig {
  return {
    base_dir: builtInDefault("baseDir"),
    data_dir: builtInDefault("dataDir"),
    // The submit values come from the option table too; null: unset (the table's default).
    slurm: {
      nodes: builtInDefault("nodes", "submit"),
      samples_per_node: builtInDefault("samplesPerNode", "submit"),
      cpus_per_task: builtInDefault("cpusPerTask", "submit"),
      partition: builtInDefault("partition", "submit"),
      time: builtInDefault("time", "submit"),
      mem: builtInDefault("mem", "submit"),
      logs_dir: null,
      sbatch_args: builtInDefault("sbatchArgs", "submit"),
    },
    render: {
      codec: builtInDefault("codec"),
      // null: the codec's own default (OPTIONS.crf).
      crf: null,
      preset: builtInDefault("x264Preset"),
      // null: the built-in default (OPTIONS.encoder).
      encoder: null,
      qp: builtInDefault("qp"),
      long_prompt: builtInDefault("longPrompt"),
      prompt_page_frames: builtInDefault("promptPageFrames"),
      font_size: builtInDefault("fontSize"),
    },
    templates: {},
    datasets: {},
    source: null,
  };
}

/** One value rule of the schema. */
export type Rule =
  | { type: "string"; nullable?: boolean; pattern?: RegExp; hint?: string; oneOf?: string[] }
  | { type: "integer"; nullable?: boolean; min?: number; max?: number }
  | { type: "string[]" }
  | { type: "object"; fields: Record<string, Rule> }
  | { type: "map"; values: Rule; keys?: readonly string[] }
  /** Any JSON value: a later check (e.g. of dataset declarations) looks at it. */
  | { type: "any" };

/** A template: a typo'd placeholder (`{promt}`) would be written literally into every line. */
const TEMPLATE: Rule = {
  type: "string",
  pattern: KNOWN_PLACEHOLDERS_ONLY,
  hint: `a template whose placeholders are ${
    TEMPLATE_PLACEHOLDERS.map((p) => `{${p}}`).join(", ")
  } (a typo?)`,
};

const TEMPLATE_FIELDS: Record<string, Rule> = {
  inference: TEMPLATE,
  rendering: TEMPLATE,
  audio_inference: TEMPLATE,
  audio_rendering: TEMPLATE,
};

/** The schema of the whole file. */
export const CONFIG_SCHEMA: Rule = {
  type: "object",
  fields: {
    base_dir: { type: "string" },
    data_dir: { type: "string" },
    slurm: {
      type: "object",
      fields: {
        nodes: { type: "integer", nullable: true, min: 1 },
        samples_per_node: { type: "integer", min: 1 },
        cpus_per_task: { type: "integer", min: 1 },
        partition: { type: "string", nullable: true },
        time: { type: "string", pattern: TIME_PATTERN, hint: "HH:MM:SS or D-HH:MM:SS" },
        mem: { type: "string", nullable: true },
        logs_dir: { type: "string", nullable: true },
        sbatch_args: { type: "string[]" },
      },
    },
    render: {
      type: "object",
      fields: {
        codec: { type: "string", oneOf: [...OPTIONS.codec.choices!] },
        crf: { type: "integer", nullable: true, min: 0, max: 51 },
        preset: { type: "string", oneOf: [...OPTIONS.x264Preset.choices!] },
        encoder: { type: "string", nullable: true, oneOf: [...OPTIONS.encoder.choices!] },
        qp: { type: "integer", min: 12, max: 51 },
        long_prompt: { type: "string", oneOf: [...OPTIONS.longPrompt.choices!] },
        prompt_page_frames: { type: "integer", min: 1, max: 1000 },
        font_size: { type: "integer", min: 6, max: 200 },
      },
    },
    templates: {
      type: "map",
      values: { type: "object", fields: TEMPLATE_FIELDS },
      keys: DATASET_KEYS,
    },
    datasets: { type: "map", values: { type: "any" } },
  },
};
