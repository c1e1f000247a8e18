/**
 * Datasets declared as data: the built-ins come from `src/datasets/builtin_datasets.jsonc`, a
 * user's from `videoword.jsonc`; both are checked when loaded (unknown keys, kinds, rules and
 * fields are one clear error naming the key path) and cleaned by named rules.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parse } from "jsonc-parser";
import { ConfigError, loadConfigFile, parseConfig } from "../src/config/mod.ts";
import {
  BUILTIN_DATASETS_FILE,
  CLEAN_RULE_NAMES,
  compileDeclaration,
  declarationProblems,
  getDataset,
  listDatasets,
  parseFieldPath,
  readField,
} from "../src/datasets/mod.ts";
import { withTempDir } from "./helpers/video.ts";

function problems(value: unknown): string[] {
  return declarationProblems("my_math", value).map((p) => `${p.path.join(".")}: ${p.message}`);
}

const MINIMAL = {
  files: ["rows/*.jsonl"],
  kind: "math",
  language: "en",
  fields: { prompt: "problem.text", answer: "solution" },
};

Deno.test("declarations: the built-ins are the data file's entries, in its order", async () => {
  const data = parse(await Deno.readTextFile(BUILTIN_DATASETS_FILE));
  const builtIns = listDatasets().filter((spec) => spec.builtIn);
  assert.deepEqual(builtIns.map((spec) => spec.key), Object.keys(data.datasets));
  for (const spec of builtIns) {
    const declared = data.datasets[spec.key];
    assert.equal(spec.repo, declared.hub);
    assert.equal(spec.kind, declared.kind);
    assert.equal(spec.language, declared.language);
    assert.equal(spec.license, declared.license);
    assert.deepEqual(declarationProblems(spec.key, declared), []);
  }
  assert.deepEqual(getDataset("gsm8k").splits, {
    train: ["main/train-*.parquet"],
    test: ["main/test-*.parquet"],
  });
});

Deno.test("declarations: unknown keys, kinds, languages, rules and fields are named", () => {
  assert.deepEqual(problems(MINIMAL), []);
  assert.deepEqual(problems({ ...MINIMAL, colour: "red" }), [
    "my_math.colour: unknown key (known: files, hub, config, splits, kind, language, fields, " +
    "clean, license, size, templates)",
  ]);
  assert.deepEqual(problems({ ...MINIMAL, kind: "video" }), [
    'my_math.kind: "video" must be one of math, story',
  ]);
  assert.deepEqual(problems({ ...MINIMAL, language: "fr" }), [
    'my_math.language: "fr" must be one of en, zh',
  ]);
  assert.deepEqual(problems({ ...MINIMAL, clean: ["gsm8k_calculator", "spellcheck"] }), [
    `my_math.clean.1: unknown rule "spellcheck" (known: ${CLEAN_RULE_NAMES.join(", ")})`,
  ]);
  assert.deepEqual(problems({ ...MINIMAL, fields: { prompt: "q", text: "t" } }), [
    "my_math.fields.text: unknown field for a math dataset (known: prompt, answer)",
    "my_math.fields.answer: missing: which field holds the answer?",
  ]);
  assert.deepEqual(problems({ ...MINIMAL, fields: { prompt: "a..b", answer: "x[role]" } }), [
    "my_math.fields.prompt: bad field path 'a..b': '' is not a field name",
    "my_math.fields.answer: bad field path 'x[role]': '[role]' is not [FIELD=VALUE]",
  ]);
  assert.deepEqual(
    problems({ ...MINIMAL, kind: "story", fields: { text: "t" }, clean: ["unwrap_boxed"] }),
    [
      "my_math.clean.0: rule 'unwrap_boxed' rewrites answer texts, which a story dataset has none of",
    ],
  );
  assert.deepEqual(problems({ ...MINIMAL, hub: "a/b" }), [
    "my_math: give either local 'files' or a 'hub' repo, not both",
  ]);
  assert.deepEqual(problems({ ...MINIMAL, files: { "Test Split": "x.jsonl" } }), [
    "my_math.files.Test Split: split name 'Test Split' must be lower-case letters and digits, " +
    "words joined by '.' or '_' (e.g. test, validation, train_sft)",
  ]);
  assert.deepEqual(declarationProblems("My-Math", MINIMAL).map((p) => p.message), [
    "dataset key 'My-Math' must be lower-case letters and digits joined by '_' (it names " +
    "folders and files)",
  ]);
});

Deno.test("declarations: field paths reach nested fields and list items", () => {
  const row = {
    problem: { text: "How many?" },
    messages: [{ role: "user", content: "Q" }, { role: "assistant", content: null }],
  };
  assert.deepEqual(readField(row, parseFieldPath("problem.text")), {
    ok: true,
    value: "How many?",
  });
  assert.deepEqual(readField(row, parseFieldPath("messages[role=user].content")), {
    ok: true,
    value: "Q",
  });
  const reason = (path: string, value: unknown = row) => {
    const result = readField(value, parseFieldPath(path));
    return result.ok ? "ok" : result.reason;
  };
  assert.equal(reason("problem.answer"), "missing field 'problem.answer'");
  assert.equal(reason("problem.text.x"), "wrong type 'problem.text': string");
  assert.equal(
    reason("messages[role=assistant].content"),
    "missing field 'content': assistant message",
  );
  assert.equal(reason("messages[role=system].content"), "missing message 'system'");
  assert.equal(reason("problem[role=user].content"), "wrong type 'problem': object");
  assert.equal(reason("problem.text", null), "not an object: null");
});

Deno.test("declarations: a config's dataset compiles; a bad one names file, line and key", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "videoword.jsonc");
    await Deno.writeTextFile(
      file,
      `{\n  "datasets": {\n    "my_math": ${JSON.stringify(MINIMAL)}\n  }\n}\n`,
    );
    await loadConfigFile(file);
    const spec = getDataset("my_math");
    assert.equal(spec.builtIn, false);
    assert.deepEqual(spec.splits, { train: [join(dir, "rows/*.jsonl")] });
    assert.deepEqual(
      spec.clean({ problem: { text: "  What is 2 + 2, really?" }, solution: "4\n" }),
      {
        ok: true,
        prompt: "What is 2 + 2, really?",
        response: "4",
      },
    );
    // The templates default to the kind and language's.
    assert.equal(spec.templates.inference, getDataset("gsm8k").templates.inference);

    const bad = `{\n  "datasets": {\n    "my_math": {\n      "files": "x.jsonl",\n` +
      `      "kind": "math", "language": "en",\n      "fields": { "prompt": "q", "answer": "a" },\n` +
      `      "clean": ["nope"]\n    }\n  }\n}\n`;
    assert.throws(
      () => parseConfig(bad, "videoword.jsonc"),
      (error: Error) =>
        error instanceof ConfigError &&
        error.message.startsWith(
          'videoword.jsonc:7:17: key "datasets.my_math.clean.0": unknown rule "nope"',
        ),
    );
    assert.throws(
      () => parseConfig(`{ "datasets": { "gsm8k": ${JSON.stringify(MINIMAL)} } }`, "v.jsonc"),
      /key "datasets.gsm8k": 'gsm8k' is a built-in dataset; choose another key/,
    );
    // Without a config file only the built-ins are known again.
    await loadConfigFile(undefined, { cwd: join(dir, "elsewhere") });
    assert.throws(() => getDataset("my_math"), /unknown dataset 'my_math'/);
  });
});

Deno.test("declarations: compileDeclaration throws every problem at once", () => {
  assert.throws(
    () => compileDeclaration("x", { kind: "poem" }, { baseDir: "/", builtIn: false }),
    /^Error: x: needs 'files' \(local\) or 'hub' \(a Hub dataset repo\) \(and 3 more\)$|x: needs 'files'/,
  );
});
