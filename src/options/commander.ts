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

/** Add every option of `command` from the table (no commander defaults: layers resolve them). */
export function addTableOptions<C extends CommandUnknownOpts>(command: C, name: CommandName): C {
  for (const [, row] of commandRows(name)) {
    const shown = defaultText(row, name);
    const sources = [row.env ? `$${row.env}` : "", row.config ? `config ${row.config}` : ""]
      .filter((s) => s && !shown.includes(s));
    const notes = [shown ? `default ${shown}` : "", ...sources].filter(Boolean).join("; ");
    const option = new Option(row.flags, notes ? `${row.help} (${notes})` : row.help);
    if (row.choices) option.choices(row.choices);
    if (row.parse) option.argParser(row.parse as (value: string, previous: unknown) => unknown);
    command.addOption(option);
  }
  return command;
}

/** The options the user actually gave on the command line (not commander's implied ones). */
export function givenFlags(command: CommandUnknownOpts): Partial<OptionValues> {
  const given: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(command.opts())) {
    if (command.getOptionValueSource(key) === "cli") given[key] = value;
  }
  return given as Partial<OptionValues>;
}
