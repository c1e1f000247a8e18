/** How videoword re-invokes itself inside a Slurm job. */
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { existsSync } from "node:fs";

/**
 * The argv prefix that starts this same videoword: a compiled binary by its absolute path, or
 * `deno run -A [--config deno.json] /abs/main.ts` from a checkout.
 */
export function selfCommand(): string[] {
  const exec = Deno.execPath();
  if (basename(exec).replace(/\.exe$/i, "") !== "deno") return [exec];
  const main = fileURLToPath(new URL("../../main.ts", import.meta.url));
  const config = join(dirname(main), "deno.json");
  return [exec, "run", "-A", ...(existsSync(config) ? ["--config", config] : []), main];
}
