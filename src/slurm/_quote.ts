/** Quoting for generated shell scripts and `#SBATCH` directives. */

/** Quote `value` for bash in single-quote style (`'` becomes `'\''`); always quotes. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * Quote a `#SBATCH` directive value: sbatch's own parser understands double quotes and
 * backslash escapes (not shell single quotes), so plain values stay bare.
 */
export function sbatchQuote(value: string): string {
  if (/^[A-Za-z0-9_\/.,:=@%+-]+$/.test(value)) return value;
  return `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}
