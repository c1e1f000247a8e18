/**
 * The shape of `videoword.jsonc`: the option rows' config keys (each checked by its row's rule,
 * the one its flag obeys), templates and datasets.
 */
import { DATASET_KEYS, KNOWN_PLACEHOLDERS_ONLY, TEMPLATE_PLACEHOLDERS } from "../datasets/mod.ts";
import { optionValueProblem, TABLE_COMMANDS, tableOf } from "../options/mod.ts";

/** Per-dataset overrides of the manifest prompt templates. */
export interface TemplateOverrides {
  inference?: string;
  rendering?: string;
  audio_inference?: string;
  audio_rendering?: string;
}

/**
 * What a settings file gives besides option values (those are resolved with the option table:
 * `resolveOptions` in `src/options/`, from {@linkcode LoadedConfig}'s `values`).
 */
export interface VideowordConfig {
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

/** A file that sets nothing: no templates or datasets of its own. */
export function defaultConfig(): VideowordConfig {
  return { templates: {}, datasets: {}, source: null };
}

/** One value rule of the schema. */
export type Rule =
  | { type: "string"; pattern?: RegExp; hint?: string }
  | { type: "object"; fields: Record<string, Rule> }
  | { type: "map"; values: Rule; keys?: readonly string[] }
  /** An option row's value: the same check as its flag (`optionValueProblem`). */
  | { type: "option"; check: (value: unknown) => string | null }
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

/**
 * Every option row's config key (and old alias) as a schema field, checked by the row's rule:
 * `{ base_dir, data_dir, render: {...}, slurm: {...}, export: {...}, ... }` in table order.
 */
function optionFields(): Record<string, Rule> {
  const root: Record<string, Rule> = {};
  for (const command of TABLE_COMMANDS) {
    for (const row of Object.values(tableOf(command))) {
      for (const dotted of [row.config, ...(row.configAliases ?? [])]) {
        if (dotted === undefined) continue;
        const parts = dotted.split(".");
        let fields = root;
        for (const part of parts.slice(0, -1)) {
          const node = fields[part] ??= { type: "object", fields: {} };
          if (node.type !== "object") throw new Error(`config key ${dotted}: ${part} is a value`);
          fields = node.fields;
        }
        fields[parts.at(-1)!] ??= { type: "option", check: (v) => optionValueProblem(row, v) };
      }
    }
  }
  return root;
}

/** The schema of the whole file. */
export const CONFIG_SCHEMA: Rule = {
  type: "object",
  fields: {
    ...optionFields(),
    templates: {
      type: "map",
      values: { type: "object", fields: TEMPLATE_FIELDS },
      keys: DATASET_KEYS,
    },
    datasets: { type: "map", values: { type: "any" } },
  },
};
