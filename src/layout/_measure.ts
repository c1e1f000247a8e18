import { isWideChar } from "../text/mod.ts";

/** Width in pixels of `text` drawn at `fontSize`. Layout never touches a canvas: it asks this. */
export type TextMeasure = (text: string, fontSize: number) => number;

/** DejaVu Sans Mono's advance width: 1233 of 2048 font units. */
const MONO_ADVANCE_EM = 1233 / 2048;

/**
 * The metrics of the two bundled fonts without loading them: DejaVu Sans Mono advances are all
 * 1233/2048 em and Droid Sans Fallback draws CJK one em wide; combining marks take no room.
 * Exact for the characters the datasets use; the painter passes the canvas' own measure for the rest.
 */
export function monospaceMeasure(text: string, fontSize: number): number {
  let em = 0;
  for (const char of text) {
    if (/\p{M}/u.test(char)) continue;
    em += isWideChar(char) ? 1 : MONO_ADVANCE_EM;
  }
  return em * fontSize;
}
