/**
 * The layout convention of `src/`: each folder's only public face is its `mod.ts`; every other
 * file is private to its folder and says so with std's leading underscore (`_format.ts`). A file
 * outside folder X may import `X/mod.ts` only (files in X's subfolders are inside X).
 */
import assert from "node:assert/strict";
import { basename, dirname, join, relative, resolve } from "node:path";

const SRC = resolve(import.meta.dirname!, "..", "src");

/** Relative specifiers a source file loads: imports, re-exports, `import()`, workers, `@ts-types`. */
const SPECIFIER = new RegExp(
  [
    String.raw`\bfrom\s*["'](\.{1,2}/[^"']+)["']`,
    String.raw`\bimport\s*\(\s*["'](\.{1,2}/[^"']+)["']`,
    String.raw`^\s*import\s*["'](\.{1,2}/[^"']+)["']`,
    String.raw`new URL\(\s*["'](\.{1,2}/[^"']+)["']\s*,\s*import\.meta\.url`,
    String.raw`@ts-types\s*=\s*["'](\.{1,2}/[^"']+)["']`,
  ].join("|"),
  "gm",
);

/** The files (`path` relative to the root, `/`-separated) each file loads. */
function importsOf(files: Map<string, string>): [string, string][] {
  const edges: [string, string][] = [];
  for (const [path, text] of files) {
    for (const match of text.matchAll(SPECIFIER)) {
      const specifier = match.slice(1).find((group) => group !== undefined)!;
      edges.push([path, join(dirname(path), specifier)]);
    }
  }
  return edges;
}

/** Whether `path` lies in `folder` or one of its subfolders. */
function inside(path: string, folder: string): boolean {
  return folder === "." || path.startsWith(`${folder}/`);
}

/** Every break of the convention in a tree of source files (paths relative to `src/`). */
function structureProblems(files: Map<string, string>): string[] {
  const problems: string[] = [];
  for (const [from, to] of importsOf(files)) {
    if (to.startsWith("..")) continue; // outside src/ (none today)
    const folder = dirname(to);
    if (!inside(from, folder) && basename(to) !== "mod.ts") {
      problems.push(`${from} imports ${to}: outside ${folder}/ import ${folder}/mod.ts`);
    }
  }
  const folders = new Set<string>();
  for (const path of files.keys()) {
    folders.add(dirname(path));
    const name = basename(path);
    if (name !== "mod.ts" && !name.startsWith("_")) {
      problems.push(`${path}: only mod.ts is public; a private file is named _${name}`);
    }
  }
  for (const folder of folders) {
    if (!files.has(join(folder, "mod.ts"))) problems.push(`${folder}/ has no mod.ts`);
  }
  return problems;
}

async function sourceTree(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  async function walk(dir: string): Promise<void> {
    for await (const entry of Deno.readDir(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory) await walk(path);
      else if (entry.name.endsWith(".ts")) {
        files.set(relative(root, path), await Deno.readTextFile(path));
      }
    }
  }
  await walk(root);
  return files;
}

Deno.test("structure: the checker finds each kind of break in a small tree", () => {
  const tree = new Map([
    ["a/mod.ts", `export { f } from "./_f.ts";\nimport { g } from "../b/_g.ts";`],
    ["a/_f.ts", `import { h } from "./sub/_h.ts";\nexport const f = 1;`],
    ["a/sub/mod.ts", `export { h } from "./_h.ts";`],
    ["a/sub/_h.ts", `const w = new Worker(new URL("../public.ts", import.meta.url));`],
    ["a/public.ts", `// @ts-types="./_types.d.ts"\nimport x from "npm-thing";`],
    ["b/_g.ts", `export const g = await import("../a/mod.ts");`],
  ]);
  assert.deepEqual(structureProblems(tree).sort(), [
    "a/_f.ts imports a/sub/_h.ts: outside a/sub/ import a/sub/mod.ts",
    "a/mod.ts imports b/_g.ts: outside b/ import b/mod.ts",
    "a/public.ts: only mod.ts is public; a private file is named _public.ts",
    "b/ has no mod.ts",
  ]);
});

Deno.test("structure: src/ keeps the convention (mod.ts faces, _private files)", async () => {
  const files = await sourceTree(SRC);
  // The parser sees the real imports (not an empty pass): every mod.ts re-exports something.
  assert.ok(importsOf(files).length > 300, `${importsOf(files).length} imports found`);
  assert.deepEqual(structureProblems(files), []);
});
