/**
 * Defaults applied in one step: a layer's public face fills the fields a direct caller left out
 * from its one `…_DEFAULTS` object, never field by field with `??`. Commands resolve every field
 * before calling in (see `src/options/`), so for them this is a no-op.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { withDefaults } from "./mod.ts";
 *
 * const DEFAULTS = { width: 640, height: 360 };
 * const options: { width?: number; height?: number } = { width: 480, height: undefined };
 * assert.deepEqual(withDefaults(DEFAULTS, options), { width: 480, height: 360 });
 * ```
 *
 * @module
 */

/** `defaults` with the fields `options` sets (an explicit `undefined` keeps the default). */
export function withDefaults<O extends object, D extends Partial<O>>(
  defaults: Readonly<D>,
  options: O,
): O & D {
  const merged = { ...defaults } as O & D;
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}
