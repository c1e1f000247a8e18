/** The table as commander options: `--help` shows each row's help and default. */
import { type CommandUnknownOpts, Option } from "@commander-js/extra-typings";
import { type CommandName, type OptionRow, OPTIONS, type OptionValues } from "./table.ts";

/** How a row's default reads for `command` (empty when there is nothing to say). */
export function defaultText(row: OptionRow<unknown>, command: CommandName): string {
  if (row.defaultText !== undefined) return row.defaultText;
  const value = row.defaultFor?.[command] ?? row.default;
  return value === undefined || typeof value === "function" ? "" : String(value);
}

/** The rows `command` offers as flags, in table order. */
export function commandRows(command: CommandName): [keyof OptionValues, OptionRow<unknown>][] {
  return (Object.entries(OPTIONS) as [keyof OptionValues, OptionRow<unknown>][])
    .filter(([, row]) => row.commands.includes(command));
}

/** Which table rows `addTableOptions` leaves out. */
export interface AddTableOptions {
  /** Rows not offered (e.g. run-wide ones on a one-sample command). */
  except?: readonly (keyof OptionValues)[];
}

/**
 * Add every option of `command` from the table (no commander defaults: layers resolve them).
 * Given several commands (`preview` offers both `render`'s and `audio-render`'s), each row is
 * added once, its help showing the first command's default.
 */
export function addTableOptions<C extends CommandUnknownOpts>(
  command: C,
  names: CommandName | readonly CommandName[],
  options: AddTableOptions = {},
): C {
  const list = typeof names === "string" ? [names] : names;
  const seen = new Set<keyof OptionValues>(options.except ?? []);
  for (const name of list) {
    for (const [key, row] of commandRows(name)) {
      if (seen.has(key)) continue;
      seen.add(key);
      addRow(command, row, name);
    }
  }
  return command;
}

function addRow(command: CommandUnknownOpts, row: OptionRow<unknown>, name: CommandName): void {
  const shown = defaultText(row, name);
  const sources = [row.env ? `$${row.env}` : "", row.config ? `config ${row.config}` : ""]
    .filter((s) => s && !shown.includes(s));
  const notes = [shown ? `default ${shown}` : "", ...sources].filter(Boolean).join("; ");
  const option = new Option(row.flags, notes ? `${row.help} (${notes})` : row.help);
  if (row.choices) option.choices(row.choices);
  if (row.parse) option.argParser(row.parse as (value: string, previous: unknown) => unknown);
  command.addOption(option);
}

/** The options the user actually gave on the command line (not commander's implied ones). */
export function givenFlags(command: CommandUnknownOpts): Partial<OptionValues> {
  const given: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(command.opts())) {
    if (command.getOptionValueSource(key) === "cli") given[key] = value;
  }
  return given as Partial<OptionValues>;
}
