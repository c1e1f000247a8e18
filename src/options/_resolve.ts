/**
 * Resolve option values once, at a command's edge, through layers (each overriding the one
 * before): built-in defaults < preset < `videoword.jsonc` < environment < flags.
 *
 * A preset (`--preset`-style bundles of geometry and pacing) is a partial set of values laid over
 * the defaults: anything the user wrote — in the file, the environment or on the command line —
 * still wins over it, as explicit x264 options win over an x264 preset.
 */
import type { CommandName, OptionRow, OptionValues, TableCommand, TableValues } from "./_table.ts";
import {
  DOWNLOAD_OPTIONS,
  EXPORT_OPTIONS,
  OPTIONS,
  SCORE_OPTIONS,
  SUBMIT_OPTIONS,
  VERIFY_OPTIONS,
} from "./_table.ts";
import { ignoredOptions } from "./_rules.ts";
import { parseOptionValue } from "./_value.ts";
import type { SubmitSettings } from "../slurm/mod.ts";
import { UsageError } from "../errors/mod.ts";

/** The sources of values, lowest precedence first (`V`: the table's values). */
export interface OptionLayers<V = OptionValues> {
  /** Values of a named bundle laid over the defaults (e.g. a trainer's frame size and pace). */
  preset?: Partial<V>;
  /**
   * What the settings file itself says (not merged with defaults), e.g.
   * `{ render: { font_size: 24 } }`; a `null` leaves the value to the layers below.
   */
  file?: Record<string, unknown>;
  /** The environment (default: none). Variables set to "" count as unset. */
  env?: Record<string, string | undefined>;
  /** Flags the user gave (commander's parsed options; `undefined`: not given). */
  flags?: Partial<V>;
}

/** Where each resolved value came from (for `--print-config`). */
export type OptionOrigin = "default" | "preset" | "config" | "env" | "flag";

/** The resolved values, the layer each came from, and what the user should hear about. */
export interface ResolvedOptions<V = OptionValues> {
  values: V;
  origins: Record<keyof V, OptionOrigin>;
  /**
   * One line each (without a `videoword:` prefix): an option the user set that the other
   * values make the program ignore, a deprecated settings-file key.
   */
  warnings: string[];
}

const TABLES: Record<TableCommand, object> = {
  render: OPTIONS,
  "audio-render": OPTIONS,
  submit: SUBMIT_OPTIONS,
  download: DOWNLOAD_OPTIONS,
  export: EXPORT_OPTIONS,
  verify: VERIFY_OPTIONS,
  score: SCORE_OPTIONS,
};

/** The rows `command` resolves: {@linkcode OPTIONS} for the rendering commands, else its own. */
export function tableOf(
  command: TableCommand,
): Record<string, OptionRow<unknown, never, TableCommand>> {
  return TABLES[command] as Record<string, OptionRow<unknown, never, TableCommand>>;
}

function atPath(tree: Record<string, unknown> | undefined, dotted: string): unknown {
  let node: unknown = tree;
  for (const key of dotted.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/**
 * Resolve every row of `command`'s table through `layers`. Rows resolve in table order, so a
 * computed default (render threads from workers, CRF from codec) sees the rows above it.
 * An environment value that does not parse throws one line naming the variable.
 */
export function resolveOptions<C extends TableCommand>(
  command: C,
  layers: OptionLayers<TableValues[C]> = {},
): ResolvedOptions<TableValues[C]> {
  const env = layers.env ?? {};
  const flags = layers.flags as Record<string, unknown> | undefined;
  const preset = layers.preset as Record<string, unknown> | undefined;
  const values: Record<string, unknown> = {};
  const origins: Record<string, OptionOrigin> = {};
  const warnings: string[] = [];
  /** How the user set each value: `--crf`, `$NUM_NODES`, `render.crf`. */
  const setBy: Record<string, string> = {};
  const table = tableOf(command);
  for (const [key, row] of Object.entries(table)) {
    let value: unknown;
    let origin: OptionOrigin = "default";
    const flag = flags?.[key];
    const envRaw = row.env ? env[row.env] : undefined;
    const fileKey = [row.config, ...(row.configAliases ?? [])].find((dotted) =>
      dotted !== undefined && atPath(layers.file, dotted) !== undefined
    );
    const fromFile = fileKey ? atPath(layers.file, fileKey) : undefined;
    const fromPreset = preset?.[key];
    if (flag !== undefined && row.commands.includes(command)) {
      [value, origin] = [flag, "flag"];
      setBy[key] = row.flags.split(" ")[0];
    } else if (envRaw !== undefined && envRaw !== "") {
      setBy[key] = `$${row.env}`;
      try {
        value = parseOptionValue(row, envRaw);
      } catch (error) {
        throw new Error(
          `environment variable ${row.env}=${envRaw}: ${(error as Error).message}`,
        );
      }
      origin = "env";
    } else if (fromFile !== undefined && fromFile !== null) {
      // A string the row parses (`"1GB"`) becomes the value its flag would give.
      value = row.parse && typeof fromFile === "string" ? row.parse(fromFile, undefined) : fromFile;
      origin = "config";
      setBy[key] = `settings key ${fileKey}`;
    } else if (fromPreset !== undefined) {
      [value, origin] = [fromPreset, "preset"];
    } else {
      const builtIn = row.defaultFor?.[command] ?? row.default;
      value = typeof builtIn === "function"
        ? (builtIn as (context: unknown) => unknown)({ command, env, values })
        : builtIn;
    }
    values[key] = value;
    origins[key] = origin;
    if (fileKey && fileKey !== row.config) {
      warnings.push(`settings key ${fileKey} is deprecated: use ${row.config}`);
    }
  }
  for (const [key, row] of Object.entries(table)) {
    checkBound(row, { value: values[key], origin: origins[key] });
  }
  if (command === "render" || command === "audio-render") {
    // A value the user set to what it is anyway (the example file's x264_preset) changes
    // nothing either way: not worth a line.
    const userSet = new Set(
      Object.keys(setBy).filter((key) => values[key] !== table[key].default),
    ) as Set<keyof OptionValues>;
    const offered = (key: string) => table[key].commands.includes(command);
    const ignored = ignoredOptions(values as unknown as OptionValues, userSet, offered);
    for (const { key, reason } of ignored) {
      warnings.push(`warning: ${setBy[key]} is ignored: ${reason}`);
    }
  }
  return { values, origins, warnings } as unknown as ResolvedOptions<TableValues[C]>;
}

/** Refuse a value over its row's `max`, naming the layer it came from (exit 2, one line). */
function checkBound(
  row: OptionRow<unknown, never, TableCommand>,
  resolved: { value: unknown; origin: OptionOrigin },
): void {
  const { value, origin } = resolved;
  if (row.max === undefined || typeof value !== "number" || !(value > row.max)) return;
  const flag = row.flags.split(" ")[0];
  const from = {
    flag: "",
    env: ` (from $${row.env})`,
    config: ` (from videoword.jsonc ${row.config})`,
    preset: " (from the preset)",
    default: row.defaultText ? ` (from the default: ${row.defaultText})` : "",
  }[origin];
  throw new UsageError(
    `${flag} ${value}${from} is over its bound: at most ${row.max}, more than any model needs`,
  );
}

/** The value `key` has when nothing sets it (computed defaults evaluated with no other layer). */
export function builtInDefault<K extends keyof SubmitSettings>(
  key: K,
  command: "submit",
): SubmitSettings[K];
export function builtInDefault<K extends keyof OptionValues>(
  key: K,
  command?: CommandName,
): OptionValues[K];
export function builtInDefault(key: string, command: TableCommand = "render"): unknown {
  return (resolveOptions(command as CommandName).values as unknown as Record<string, unknown>)[key];
}
