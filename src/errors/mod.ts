/**
 * One line from any thrown value, for logs, stats reasons and messages that wrap another error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { firstLine, oneLine } from "./mod.ts";
 *
 * const error = new Error("ffmpeg failed\n  at encode");
 * assert.equal(firstLine(error), "ffmpeg failed");
 * assert.equal(oneLine(error), "ffmpeg failed at encode");
 * ```
 *
 * @module
 */

/** The message of an Error, or the value as a string. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The first line of an error's message (what is counted and shown per failed row). */
export function firstLine(error: unknown): string {
  return errorMessage(error).split("\n")[0];
}

/** The whole message on one line: line breaks and the spaces around them become one space. */
export function oneLine(error: unknown): string {
  return errorMessage(error).replace(/\s*[\r\n]+\s*/g, " ").trim();
}

/**
 * Options that can never work (e.g. a layout with no room for a line): the command prints one
 * line and exits 2, before reading anything.
 */
export class UsageError extends Error {
  override name = "UsageError";
}
