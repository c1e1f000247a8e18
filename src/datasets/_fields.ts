/**
 * Field paths of a declaration: `question`, `meta.problem.text` (dotted: nested objects),
 * `messages[role=user].content` (the first list item whose `role` is `user`), and a trailing
 * `?` for an optional field (missing reads as empty text).
 */
import { notAnObject } from "./_clean.ts";

/** One step of a field path: an object key, or the first list item with `field` = `value`. */
export type PathStep = { key: string } | { field: string; value: string };

/** A parsed field path. */
export interface FieldPath {
  /** As written, without the `?`. */
  text: string;
  steps: PathStep[];
  optional: boolean;
}

const KEY = /^[^.[\]=?]+$/;

/** Parse a field path; a malformed one is an Error saying what is wrong. */
export function parseFieldPath(text: string): FieldPath {
  const optional = text.endsWith("?");
  const body = optional ? text.slice(0, -1) : text;
  const steps: PathStep[] = [];
  const bad = (why: string) => new Error(`bad field path '${text}': ${why}`);
  if (!body) throw bad("empty");
  for (const part of body.split(".")) {
    const match = /^([^[\]]*)((?:\[[^\]]*\])*)$/.exec(part);
    if (!match || !KEY.test(match[1])) throw bad(`'${part}' is not a field name`);
    steps.push({ key: match[1] });
    for (const selector of match[2].matchAll(/\[([^\]]*)\]/g)) {
      const pair = /^([^=\s]+)=(.+)$/.exec(selector[1]);
      if (!pair) throw bad(`'[${selector[1]}]' is not [FIELD=VALUE]`);
      steps.push({ field: pair[1], value: pair[2] });
    }
  }
  return { text: body, steps, optional };
}

/** The top-level column a path starts at (`messages` for `messages[role=user].content`). */
export function topColumn(path: FieldPath): string {
  return (path.steps[0] as { key: string }).key;
}

function typeName(value: unknown): string {
  return Array.isArray(value) ? "array" : typeof value;
}

/** A field's string value, or the skip reason when it is missing or not a string. */
export type FieldValue = { ok: true; value: string } | { ok: false; reason: string };

/**
 * Read the string at `path` in `row`. Skip reasons name the path from the row (or from the
 * last list item picked): `missing field 'question'`, `missing field 'question': null`,
 * `wrong type 'question': number`, `missing message 'assistant'`,
 * `missing field 'content': user message`.
 */
/** Options of {@linkcode readField}. */
export interface ReadFieldOptions {
  /** A finite number (or bigint) at the path reads as its decimal digits. */
  numbers?: boolean;
}

export function readField(
  row: unknown,
  path: FieldPath,
  options: ReadFieldOptions = {},
): FieldValue {
  const bad = notAnObject(row);
  if (bad) return { ok: false, reason: bad };
  let value: unknown = row;
  // Names since the last list item picked, and what that item was (`user message`).
  let names: string[] = [];
  let picked = "";
  for (const step of path.steps) {
    if ("key" in step) {
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        return { ok: false, reason: `wrong type '${names.join(".")}': ${typeName(value)}` };
      }
      value = (value as Record<string, unknown>)[step.key];
      names.push(step.key);
      if (value === undefined || value === null) {
        const detail = picked ? `: ${picked}` : value === null ? ": null" : "";
        return { ok: false, reason: `missing field '${names.join(".")}'${detail}` };
      }
    } else {
      if (!Array.isArray(value)) {
        return { ok: false, reason: `wrong type '${names.join(".")}': ${typeName(value)}` };
      }
      // `messages` → one `message`.
      const noun = (names.at(-1) ?? "item").replace(/s$/, "");
      value = value.find((item) =>
        item !== null && typeof item === "object" &&
        String((item as Record<string, unknown>)[step.field]) === step.value
      );
      if (value === undefined) {
        return { ok: false, reason: `missing ${noun} '${step.value}'` };
      }
      names = [];
      picked = `${step.value} ${noun}`;
    }
  }
  if (
    options.numbers &&
    ((typeof value === "number" && Number.isFinite(value)) || typeof value === "bigint")
  ) {
    return { ok: true, value: String(value) };
  }
  if (typeof value !== "string") {
    return { ok: false, reason: `wrong type '${names.join(".")}': ${typeName(value)}` };
  }
  return { ok: true, value };
}
