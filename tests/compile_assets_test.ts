/**
 * `deno compile` carries only what its `--include`s name (the compile task cannot run on every
 * machine: it needs denort). Every font the painter and the style registry can open must lie under
 * one of them, found from the module's own folder, not the working directory.
 */
import assert from "node:assert/strict";
import { join, relative, sep } from "node:path";
import { BUNDLED_FONTS, fontCatalog, FONTS_DIR, SEED_FONT_FILES } from "../src/paint/mod.ts";
import { ROOT } from "./helpers/video.ts";

/** The `--include` paths of deno.json's compile task, relative to the project root. */
async function compileIncludes(): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json")));
  const task: string = config.tasks.compile;
  const includes = [...task.matchAll(/--include\s+(\S+)/g)].map((m) => m[1].replace(/\/$/, ""));
  assert.ok(includes.length > 0, `no --include in: ${task}`);
  return includes;
}

/** Every file a font entry names: itself, or a folder's files. */
function filesOf(path: string): string[] {
  if (!Deno.statSync(path).isDirectory) return [path];
  return [...Deno.readDirSync(path)].filter((e) => e.isFile).map((e) => join(path, e.name));
}

Deno.test("compile: every bundled font file (seed and --style varied registry) exists under an --include'd path", async () => {
  const includes = await compileIncludes();
  const included = (path: string) => {
    const rel = relative(ROOT, path).split(sep).join("/");
    return includes.some((inc) => rel === inc || rel.startsWith(`${inc}/`));
  };
  // The folder is found from the painter's module, whatever the working directory.
  assert.equal(FONTS_DIR, join(ROOT, "fonts"));
  const entries = [...SEED_FONT_FILES, ...BUNDLED_FONTS.map((f) => f.file)];
  assert.ok(entries.some((f) => f.startsWith("varied/")), "the varied registry is checked");
  let files = 0;
  for (const entry of entries) {
    const path = join(FONTS_DIR, entry);
    const found = filesOf(path);
    assert.ok(found.length > 0, `${entry}: an empty folder`);
    for (const file of found) {
      assert.ok(included(file), `${relative(ROOT, file)} is under no --include (${includes})`);
      files++;
    }
  }
  assert.ok(files >= BUNDLED_FONTS.length);
  // And the catalog opens each of them (fontkit reads every file; a missing one throws).
  assert.equal(fontCatalog().length, BUNDLED_FONTS.length);
});

Deno.test("compile: the font folder is found from another working directory", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const script = `import { fontCatalog } from ${
      JSON.stringify(new URL("../src/paint/mod.ts", import.meta.url).href)
    }; console.log(fontCatalog().length);`;
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--quiet", "--config", join(ROOT, "deno.json"), script],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    assert.equal(Number(new TextDecoder().decode(out.stdout).trim()), BUNDLED_FONTS.length);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
