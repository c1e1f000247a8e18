/**
 * Regenerate `videoword.example.jsonc` from the option table (`src/options/`):
 * `deno task example-config`. `tests/config_test.ts` fails when it differs.
 */
import { join } from "node:path";
import { exampleConfig } from "../src/config/mod.ts";

const EXAMPLE = join(import.meta.dirname!, "..", "videoword.example.jsonc");

if (import.meta.main) {
  const before = await Deno.readTextFile(EXAMPLE);
  const after = exampleConfig();
  if (after !== before) await Deno.writeTextFile(EXAMPLE, after);
  console.log(after === before ? "videoword.example.jsonc is up to date" : "example updated");
}
