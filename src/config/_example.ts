/**
 * `videoword.example.jsonc`, generated from the option table: every row with a config key
 * gives one documented key whose value is the row's default (`null` where the default is
 * computed, as its comment says). `tests/config_test.ts` fails when the file is stale.
 */
import {
  type AnyRow,
  defaultText,
  TABLE_COMMANDS,
  type TableCommand,
  tableOf,
} from "../options/mod.ts";
import { getDataset } from "../datasets/mod.ts";

const WIDTH = 100;

const HEADER = [
  "videoword.example.jsonc: copy to ./videoword.jsonc and edit. Every key is optional; the values",
  "shown are the defaults (null: a default computed as the comment says). Comments and trailing",
  "commas are allowed. Generated from the option table (src/options/_table.ts) by",
  "`deno task example-config`: edit the table, not this file.",
  "",
  "Precedence: command-line flags > environment variables > this file > the model preset",
  "(--preset) > built-in defaults. `videoword render --print-config` (or any other command's",
  "--print-config) prints every resolved value and where it came from.",
];

const SECTIONS: Record<string, string> = {
  render: "Defaults for `videoword render`, `audio-render` and `preview`.",
  slurm: "Cluster settings for `videoword submit`.",
  export: "Defaults for `videoword export`.",
  verify: "Defaults for `videoword verify`.",
  score: "Defaults for `videoword score`.",
};

/** gsm8k's own templates, as the example's commented-out override (never out of date). */
function templateExample(): string {
  const t = getDataset("gsm8k").templates;
  const keys: [string, string][] = [
    ["inference", t.inference],
    ["rendering", t.rendering],
    ["audio_inference", t.audioInference],
    ["audio_rendering", t.audioRendering],
  ];
  return keys.map(([key, text], i) =>
    `    //   "${key}": ${JSON.stringify(text)}${i < keys.length - 1 ? "," : ""}\n`
  ).join("");
}

const TAIL = () =>
  `  // Per-dataset overrides of the manifest \`prompt\` templates. Placeholders: {prompt} (displayed
  // prompt), {response} (displayed answer / continuation), {seconds} (video length), {spoken}
  // (narrated text actually kept), {font_style} (serif, handwritten, ...), {text_color} and
  // {background_color} (the video's colours by name: "dark blue", "cream"; \`--style varied\`
  // varies them). Omitted keys keep the built-in template (gsm8k's are shown).
  "templates": {
    // "gsm8k": {
${templateExample()}    // }
  },

  // Your own datasets, used by download, render, audio-render, preview, submit and export like
  // the built-ins (README "Datasets": every key, the field paths and the cleaning rules).
  "datasets": {
    // "my_math": {
    //   "files": ["/data/my_math/*.jsonl"],      // local Parquet / JSONL / JSON / tar.gz, or
    //   // "hub": "owner/name", "config": "main", "splits": { "train": "main/train-*.parquet" },
    //   "kind": "math",                           // math: prompt + answer; story: one text
    //   "language": "en",                         // en | zh
    //   "fields": { "prompt": "problem.text", "answer": "solution" },
    //   "clean": ["unwrap_boxed"],                // named cleaning rules
    //   "license": "CC-BY-4.0"
    // }
  }
}
`;

/** `text` as `// ` comment lines indented by `indent`, wrapped at {@linkcode WIDTH}. */
function comment(text: string, indent: string): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && indent.length + 3 + line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.map((l) => `${indent}// ${l}`);
}

/** What a key's comment says: help, allowed values, flag, env, old name, computed default. */
function describeRow(rows: readonly [TableCommand, AnyRow][]): string {
  const [command, row] = rows[0];
  const parts = [`${row.help}.`];
  if (row.choices) parts.push(`One of ${row.choices.map((c: string) => `"${c}"`).join(", ")}.`);
  if (row.type === "integer" || row.type === "number") {
    const range = row.max === undefined ? `≥ ${row.min}` : `${row.min}-${row.max}`;
    parts.push(`${row.type === "integer" ? "Whole number" : "Number"} ${range}.`);
  }
  const flags = rows.filter(([c, r]) => r.commands.includes(c));
  if (flags.length > 0) parts.push(`Flag ${row.flags.split(" ")[0]}.`);
  for (const [c, r] of rows) {
    if (r.env) parts.push(`Env ${r.env}${rows.length > 1 ? ` (${c})` : ""}.`);
  }
  if (row.configAliases?.length) {
    parts.push(`Formerly ${row.configAliases.join(", ")} (still read, with a warning).`);
  }
  const shown = defaultText(row, command);
  if (valueOf(row) === null && shown) parts.push(`null: ${shown}.`);
  if (row.nullable) parts.push("null: the default.");
  return parts.join(" ");
}

/**
 * The value written for a row: its literal default (or a constant one, `() => []`), null when
 * computed from other values or unset.
 */
function valueOf(row: AnyRow): unknown {
  if (typeof row.default === "function") {
    return row.default.length === 0 ? (row.default as () => unknown)() : null;
  }
  return row.default ?? null;
}

/** The text of `videoword.example.jsonc`. */
export function exampleConfig(): string {
  // config key → the rows (with their command) setting it, in table order.
  const keys = new Map<string, [TableCommand, AnyRow][]>();
  for (const command of TABLE_COMMANDS) {
    for (const row of Object.values(tableOf(command))) {
      if (row.config) keys.set(row.config, [...(keys.get(row.config) ?? []), [command, row]]);
    }
  }
  // Sections: "" (top-level keys), then each parent key, as the table first names them.
  const sections = new Map<string, string[][]>();
  for (const [dotted, rows] of keys) {
    const parts = dotted.split(".");
    const parent = parts.length > 1 ? parts[0] : "";
    const indent = parent ? "    " : "  ";
    const entry = [
      ...comment(describeRow(rows), indent),
      `${indent}"${parts.at(-1)}": ${JSON.stringify(valueOf(rows[0][1]))}`,
    ];
    sections.set(parent, [...(sections.get(parent) ?? []), entry]);
  }
  const blocks: string[] = [];
  for (const [parent, entries] of sections) {
    const body = entries.map((lines) => lines.join("\n")).join(",\n\n");
    blocks.push(
      parent
        ? [...comment(SECTIONS[parent] ?? "", "  "), `  "${parent}": {`, body, "  }"].join("\n")
        : body,
    );
  }
  const out = [...HEADER.map((l) => (l ? `// ${l}` : "//")), "{", `${blocks.join(",\n\n")},`, ""];
  return `${out.join("\n")}\n${TAIL()}`;
}
