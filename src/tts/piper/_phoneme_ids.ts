/** Piper's special symbols in `phoneme_id_map`. */
export const PAD = "_";
export const BOS = "^";
export const EOS = "$";

/** A voice's `phoneme_id_map`: phoneme (one codepoint, or a cluster) → ids. */
export type PhonemeIdMap = Record<string, number[]>;

/** Result of `phonemeIds`: the ids and the phonemes the voice does not know (skipped). */
export interface PhonemeIds {
  ids: number[];
  missing: string[];
}

/**
 * One sentence's phonemes → model input ids, as Piper builds them: BOS, pad, then each known
 * phoneme followed by a pad, then EOS (`^ _ p1 _ p2 _ … pn _ $`). Unknown phonemes are skipped
 * and reported.
 *
 * @example
 * ```ts
 * phonemeIds(["t", "ˈ", "ɛ"], { _: [0], "^": [1], $: [2], t: [32], "ˈ": [120], "ɛ": [61] });
 * // { ids: [1, 0, 32, 0, 120, 0, 61, 0, 2], missing: [] }
 * ```
 */
export function phonemeIds(phonemes: string[], idMap: PhonemeIdMap): PhonemeIds {
  const special = (symbol: string): number[] => {
    const ids = idMap[symbol];
    if (!Array.isArray(ids)) throw new Error(`voice phoneme_id_map has no '${symbol}'`);
    return ids;
  };
  const pad = special(PAD);
  const ids = [...special(BOS), ...pad];
  const missing: string[] = [];
  for (const phoneme of phonemes) {
    const mapped = Object.hasOwn(idMap, phoneme) ? idMap[phoneme] : undefined;
    if (!mapped) {
      missing.push(phoneme);
      continue;
    }
    ids.push(...mapped, ...pad);
  }
  ids.push(...special(EOS));
  return { ids, missing };
}
