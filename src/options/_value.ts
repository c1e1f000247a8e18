/**
 * The one rule of a row's value, whichever layer gives it: a flag and an environment variable
 * (text, {@linkcode parseOptionValue}) and a `videoword.jsonc` value (JSON,
 * {@linkcode optionValueProblem}) pass the same checks, so they accept exactly the same values.
 */
import { InvalidArgumentError } from "@commander-js/extra-typings";
import type { OptionRow, TableCommand } from "./_table.ts";

/** A row of any table, as the generic helpers see it. */
export type AnyRow = OptionRow<unknown, never, TableCommand>;

/** The parts of a row that make its value rule. */
export type ValueRule = Partial<
  Pick<AnyRow, "type" | "min" | "max" | "choices" | "parse" | "nullable" | "default">
>;

/** Integer bounds, as a row states them. */
export interface IntegerRange {
  min?: number;
  max?: number;
}

/**
 * What a whole number (or, with `kind` `"number"`, any number) in `range` reads as:
 * `a whole number ≥ 1`, `a whole number ≥ 12, at most 51`, `a number ≥ 0, at most 1`.
 */
export function integerExpectation(
  { min, max }: IntegerRange,
  kind: "integer" | "number" = "integer",
): string {
  const what = kind === "integer" ? "a whole number" : "a number";
  if (min !== undefined && max !== undefined) return `${what} ≥ ${min}, at most ${max}`;
  if (min !== undefined) return `${what} ≥ ${min}`;
  if (max !== undefined) return `${what} ≤ ${max}`;
  return what;
}

/** Why `value` is not a whole number in `range` (`expected ...`), or null when it is. */
export function integerProblem(
  value: unknown,
  range: IntegerRange,
  kind: "integer" | "number" = "integer",
): string | null {
  const ok = typeof value === "number" && Number.isFinite(value) &&
    (kind === "number" || Number.isInteger(value)) &&
    (range.min === undefined || value >= range.min) &&
    (range.max === undefined || value <= range.max);
  return ok ? null : `expected ${integerExpectation(range, kind)}`;
}

/** A row's bounds as `--help` and the README show them: `at least 12, at most 51` (or ""). */
export function boundText(row: ValueRule): string {
  return [
    row.min === undefined ? "" : `at least ${row.min}`,
    row.max === undefined ? "" : `at most ${row.max}`,
  ].filter(Boolean).join(", ");
}

/** Whether `null` in the settings file may stand for "not set here" for `row`. */
export function nullableInFile(row: ValueRule): boolean {
  return row.nullable === true || row.default === null || row.default === undefined ||
    typeof row.default === "function";
}

/**
 * Why `value` (a settings-file value, or a flag value once parsed) breaks `row`'s rule, as
 * `expected ...`; null when it is allowed.
 */
export function optionValueProblem(row: ValueRule, value: unknown): string | null {
  if (value === null) return nullableInFile(row) ? null : `expected ${expectation(row)}`;
  switch (row.type ?? "string") {
    case "integer":
    case "number":
      // A number row with its own flag syntax (`1GB`) takes that text in the file too.
      if (typeof value === "string" && row.parse) return parseProblem(row, value);
      return integerProblem(value, row, row.type === "number" ? "number" : "integer");
    case "string[]": {
      if (!Array.isArray(value)) return "expected an array of strings";
      const index = value.findIndex((item) => typeof item !== "string");
      return index < 0 ? null : `expected an array of strings (item ${index} is not one)`;
    }
    default: {
      if (typeof value !== "string") return `expected ${expectation(row)}`;
      if (row.choices && !row.choices.includes(value)) return `expected ${expectation(row)}`;
      return row.parse ? parseProblem(row, value) : null;
    }
  }
}

/** Why the row's own parser refuses `value`, or null when it takes it. */
function parseProblem(row: ValueRule, value: string): string | null {
  try {
    row.parse!(value, undefined as never);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

function expectation(row: ValueRule): string {
  if (row.type === "integer" || row.type === "number") return integerExpectation(row, row.type);
  if (row.type === "string[]") return "an array of strings";
  return row.choices ? `one of ${row.choices.join(", ")}` : "a string";
}

/**
 * A flag's or environment variable's text as `row`'s value: the row's own `parse`, or a number
 * for an `integer` or `number` row; then {@linkcode optionValueProblem}. Throws
 * `InvalidArgumentError`.
 */
export function parseOptionValue(row: ValueRule, raw: string, previous?: unknown): unknown {
  if (row.parse) return row.parse(raw, previous as never);
  const numeric = row.type === "integer" || row.type === "number";
  const value = numeric && raw.trim() !== "" ? Number(raw) : raw;
  const problem = optionValueProblem(row, value);
  if (problem) throw new InvalidArgumentError(problem);
  return value;
}

/** A non-negative integer flag value (for flags outside the table). */
export function nonNegativeInt(value: string): number {
  return parseOptionValue({ type: "integer", min: 0 }, value) as number;
}

/** A positive integer flag value (for flags outside the table). */
export function positiveInt(value: string): number {
  return parseOptionValue({ type: "integer", min: 1 }, value) as number;
}
