/**
 * Regenerate the README's option tables from the option table (`src/options/`):
 * `deno task readme-options`. `tests/options_test.ts` fails when they differ.
 */
import { join } from "node:path";
import { updateReadme } from "../src/options/mod.ts";

const README = join(import.meta.dirname!, "..", "README.md");

if (import.meta.main) {
  const before = await Deno.readTextFile(README);
  const after = updateReadme(before, [
    "render",
    "audio-render",
    "submit",
    "download",
    "export",
    "verify",
    "score",
  ]);
  if (after !== before) await Deno.writeTextFile(README, after);
  console.log(after === before ? "README option tables are up to date" : "README updated");
}
