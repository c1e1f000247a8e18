/**
 * Resolve option values once, at a command's edge, through layers (each overriding the one
 * before): built-in defaults < preset < `videoword.jsonc` < environment < flags.
 *
 * A preset (`--preset`-style bundles of geometry and pacing) is a partial set of values laid over
 * the defaults: anything the user wrote — in the file, the environment or on the command line —
 * still wins over it, as explicit x264 options win over an x264 preset.
 */
import type { CommandName, OptionRow, OptionValues } from "./table.ts";
import { OPTIONS } from "./table.ts";

/** The sources of values, lowest precedence first. */
export interface OptionLayers {
  /** Values of a named bundle laid over the defaults (e.g. a trainer's frame size and pace). */
  preset?: Partial<OptionValues>;
  /**
   * What the settings file itself says (not merged with defaults), e.g.
   * `{ render: { font_size: 24 } }`; a `null` leaves the value to the layers below.
   */
  file?: Record<string, unknown>;
  /** The environment (default: none). Variables set to "" count as unset. */
  env?: Record<string, string | undefined>;
  /** Flags the user gave (commander's parsed options; `undefined`: not given). */
  flags?: Partial<OptionValues>;
}

/** Where each resolved value came from (for `--print-config`). */
export type OptionOrigin = "default" | "preset" | "config" | "env" | "flag";

/** The resolved values and the layer each came from. */
export interface ResolvedOptions {
  values: OptionValues;
  origins: Record<keyof OptionValues, OptionOrigin>;
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
 * Resolve every row of the table for `command` through `layers`. Rows resolve in table order,
 * so a computed default (render threads from workers, CRF from codec) sees the rows above it.
 * An environment value that does not parse throws one line naming the variable.
 */
export function resolveOptions(command: CommandName, layers: OptionLayers = {}): ResolvedOptions {
  const env = layers.env ?? {};
  const values: Partial<OptionValues> = {};
  const origins: Partial<Record<keyof OptionValues, OptionOrigin>> = {};
  for (const key of Object.keys(OPTIONS) as (keyof OptionValues)[]) {
    const row = OPTIONS[key] as OptionRow<unknown>;
    let value: unknown;
    let origin: OptionOrigin = "default";
    const flag = layers.flags?.[key];
    const envRaw = row.env ? env[row.env] : undefined;
    const fromFile = row.config ? atPath(layers.file, row.config) : undefined;
    const fromPreset = layers.preset?.[key];
    if (flag !== undefined && row.commands.includes(command)) {
      [value, origin] = [flag, "flag"];
    } else if (envRaw !== undefined && envRaw !== "") {
      try {
        value = row.parse ? row.parse(envRaw, undefined) : envRaw;
      } catch (error) {
        throw new Error(
          `environment variable ${row.env}=${envRaw}: ${(error as Error).message}`,
        );
      }
      origin = "env";
    } else if (fromFile !== undefined && fromFile !== null) {
      [value, origin] = [fromFile, "config"];
    } else if (fromPreset !== undefined) {
      [value, origin] = [fromPreset, "preset"];
    } else {
      const builtIn = row.defaultFor?.[command] ?? row.default;
      value = typeof builtIn === "function" ? builtIn({ command, env, values }) : builtIn;
    }
    (values as Record<string, unknown>)[key] = value;
    origins[key] = origin;
  }
  return {
    values: values as OptionValues,
    origins: origins as Record<keyof OptionValues, OptionOrigin>,
  };
}

/** The value `key` has when nothing sets it (computed defaults evaluated with no other layer). */
export function builtInDefault<K extends keyof OptionValues>(
  key: K,
  command: CommandName = "render",
): OptionValues[K] {
  return resolveOptions(command).values[key];
}
