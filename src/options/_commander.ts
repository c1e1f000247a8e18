/** The table as commander options: `--help` shows each row's help and default. */
import { type CommandUnknownOpts, Option } from "@commander-js/extra-typings";
import type { OptionValues, TableCommand } from "./_table.ts";
import { tableOf } from "./_resolve.ts";
import { type AnyRow, boundText, parseOptionValue } from "./_value.ts";

/** How a row's default reads for `command` (empty when there is nothing to say). */
export function defaultText(row: AnyRow, command: TableCommand): string {
  if (row.defaultText !== undefined) return row.defaultText;
  const value = row.defaultFor?.[command] ?? row.default;
  return value === undefined || value === null || typeof value === "function" ? "" : String(value);
}

/** The rows `command` offers as flags, in table order. */
export function commandRows(command: TableCommand): [string, AnyRow][] {
  return Object.entries(tableOf(command)).filter(([, row]) => row.commands.includes(command));
}

/** Which table rows `addTableOptions` leaves out. */
export interface AddTableOptions {
  /** Rows not offered (e.g. run-wide ones on a one-sample command). */
  except?: readonly string[];
}

/**
 * Add every option of `command` from the table (no commander defaults: layers resolve them).
 * Given several commands (`preview` offers both `render`'s and `audio-render`'s), each row is
 * added once, its help showing the first command's default.
 */
export function addTableOptions<C extends CommandUnknownOpts>(
  command: C,
  names: TableCommand | readonly TableCommand[],
  options: AddTableOptions = {},
): C {
  const list = typeof names === "string" ? [names] : names;
  const seen = new Set<string>(options.except ?? []);
  for (const name of list) {
    for (const [key, row] of commandRows(name)) {
      if (seen.has(key)) continue;
      seen.add(key);
      addRow(command, row, name);
    }
  }
  return command;
}

function addRow(command: CommandUnknownOpts, row: AnyRow, name: TableCommand): void {
  const shown = defaultText(row, name);
  const sources = [row.env ? `$${row.env}` : "", row.config ? `config ${row.config}` : ""]
    .filter((s) => s && !shown.includes(s));
  const bound = boundText(row);
  const notes = [shown ? `default ${shown}` : "", bound, ...sources].filter(Boolean).join("; ");
  const option = new Option(row.flags, notes ? `${row.help} (${notes})` : row.help);
  if (row.choices) option.choices(row.choices);
  // The same rule as the row's environment variable and config key.
  if (row.parse || row.type === "integer" || row.type === "number") {
    option.argParser((raw: string, previous: unknown) => parseOptionValue(row, raw, previous));
  }
  command.addOption(option);
}

/**
 * The options the user actually gave on the command line (not commander's implied ones), typed
 * as the values of the command's table (`V`, default the rendering commands').
 */
export function givenFlags<V = OptionValues>(command: CommandUnknownOpts): Partial<V> {
  const given: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(command.opts())) {
    if (command.getOptionValueSource(key) === "cli") given[key] = value;
  }
  return given as Partial<V>;
}
