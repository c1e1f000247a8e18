/**
 * The layout convention of `src/`: each folder's only public face is its `mod.ts`; every other
 * file is private to its folder and says so with std's leading underscore (`_format.ts`). A file
 * outside folder X may import `X/mod.ts` only (files in X's subfolders are inside X). Folders sit
 * in layers (README, Development) and import only folders of lower layers. Tests and tasks import
 * faces too, but for the unit tests of private parts named in {@linkcode PRIVATE_IMPORTS}.
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

/**
 * The layers of `src/`, top first: a folder imports only folders of the layers below its own
 * (README, Development). A new folder takes its place here.
 */
const LAYERS: readonly (readonly string[])[] = [
  ["cli"],
  ["config"],
  // options holds every command's option rows, so it sits above the libraries whose defaults
  // they take (score's, verify's).
  ["export", "options"],
  ["preview", "score", "verify"],
  ["pipeline"],
  ["encode", "models", "paint", "slurm", "tts"],
  ["hub"],
  ["datasets", "layout", "style"],
  ["readers", "text"],
  ["atomic_write", "concurrency", "defaults", "errors", "process", "progress", "retry"],
  ["paths"],
];

/** Imports (outside doc comments) from one top folder to another that is not below it. */
function layerProblems(
  files: Map<string, string>,
  layers: readonly (readonly string[])[],
): string[] {
  const layerOf = new Map(layers.flatMap((folders, i) => folders.map((f) => [f, i] as const)));
  const code = new Map(
    [...files].map(([path, text]) => [path, text.replace(/\/\*[\s\S]*?\*\//g, "")]),
  );
  const problems = new Set<string>();
  for (const path of files.keys()) {
    const top = path.split("/")[0];
    if (path.includes("/") && !layerOf.has(top)) problems.add(`${top}/ is in no layer`);
  }
  for (const [from, to] of importsOf(code)) {
    const [a, b] = [from.split("/")[0], to.split("/")[0]];
    if (a === b || to.startsWith("..") || !layerOf.has(a) || !layerOf.has(b)) continue;
    if (layerOf.get(b)! <= layerOf.get(a)!) {
      problems.add(`${a}/ imports ${b}/ (${from}), which is not in a layer below it`);
    }
  }
  return [...problems];
}

Deno.test("structure: the layer checker finds an upward or sideways import and a new folder", () => {
  const tree = new Map([
    ["low/mod.ts", `import { x } from "../high/mod.ts";`],
    [
      "high/mod.ts",
      `/** @example\n * import { y } from "../side/mod.ts";\n */\nexport * from "../low/mod.ts";`,
    ],
    ["side/mod.ts", `import { z } from "../high/mod.ts";`],
    ["new/mod.ts", `export const n = 1;`],
  ]);
  assert.deepEqual(layerProblems(tree, [["high", "side"], ["low"]]).sort(), [
    "low/ imports high/ (low/mod.ts), which is not in a layer below it",
    "new/ is in no layer",
    "side/ imports high/ (side/mod.ts), which is not in a layer below it",
  ]);
});

Deno.test("structure: every src/ folder is in a layer and imports only layers below it", async () => {
  assert.deepEqual(layerProblems(await sourceTree(SRC), LAYERS), []);
});

/**
 * Tests that import a private file, and why: unit tests of a part with no public face of its
 * own. Every other test and task imports `mod.ts` faces only.
 */
const PRIVATE_IMPORTS: Readonly<Record<string, string>> = {
  "encode/h264/": "bit-exact tests of the encoder's tables, CAVLC, transforms and headers",
  "pipeline/_fixed_duration.ts": "speech fitting and padding of --duration, unit by unit",
  "pipeline/_narrated_timeline.ts": "frame counts, kept sentences and subtitle cues",
  "tts/_msedge_adapter.ts": "the checks on msedge-tts internals the adapter relies on",
  "tts/_cache.ts": "the TTS cache's entry format",
  "tts/_espeak.ts": "espeak-ng sentence breaks and the joined run",
};

Deno.test("structure: tests and tasks import faces, but for the named private parts", async () => {
  const root = resolve(SRC, "..");
  const problems: string[] = [];
  for (const folder of ["tests", "tasks"]) {
    for (const [path, text] of await sourceTree(join(root, folder))) {
      for (const match of text.matchAll(/["']\.{1,2}\/(?:\.\.\/)*src\/([^"']+)["']/g)) {
        const target = match[1];
        if (basename(target) === "mod.ts" || !basename(target).startsWith("_")) continue;
        const named = Object.keys(PRIVATE_IMPORTS).some((key) =>
          key.endsWith("/") ? target.startsWith(key) : target === key
        );
        if (!named) problems.push(`${folder}/${path} imports src/${target}: import its mod.ts`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

/** The code blocks of the README's "Development" section, in order. */
async function developmentBlocks(): Promise<string[]> {
  const readme = await Deno.readTextFile(resolve(SRC, "..", "README.md"));
  const section = readme.split(/^## Development$/m)[1]?.split(/^## /m)[0] ?? "";
  return [...section.matchAll(/^```\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
}

/** Names of the entries of `dir` that `keep` accepts, sorted. */
async function entries(dir: string, keep: (entry: Deno.DirEntry) => boolean): Promise<string[]> {
  return (await Array.fromAsync(Deno.readDir(dir))).filter(keep).map((e) => e.name).sort();
}

Deno.test("structure: the README's development map names every src/ folder, layer and task", async () => {
  const [map, layers, tasks] = await developmentBlocks();
  const mapped = [...map.matchAll(/^src\/([a-z_]+)\/ /gm)].map((match) => match[1]);
  // The map lists src/ folders by layer, top first, so it reads in the order of LAYERS.
  assert.deepEqual(mapped, LAYERS.flat(), "README map: one line per src/ folder, in layer order");
  assert.deepEqual(mapped.toSorted(), await entries(SRC, (entry) => entry.isDirectory));
  assert.deepEqual(layers.trim().split("\n").map((line) => line.split(", ")), LAYERS);
  const listed = [...tasks.matchAll(/^([a-z_]+\.ts) /gm)].map((match) => match[1]).sort();
  const root = resolve(SRC, "..");
  assert.deepEqual(listed, await entries(join(root, "tasks"), (e) => e.name.endsWith(".ts")));
});
