/**
 * Accept the snake_case flag spellings users have in their old scripts (`--num_samples`) by
 * rewriting them to kebab-case before commander sees them.
 */
export function normalizeArgs(args: string[]): string[] {
  const out: string[] = [];
  let passthrough = false;
  for (const arg of args) {
    if (passthrough) {
      out.push(arg);
      continue;
    }
    if (arg === "--") passthrough = true;
    const match = /^--([a-z0-9]+(?:_[a-z0-9]+)+)(=.*)?$/.exec(arg);
    out.push(match ? `--${match[1].replaceAll("_", "-")}${match[2] ?? ""}` : arg);
  }
  return out;
}
