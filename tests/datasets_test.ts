import assert from "node:assert/strict";
import { join } from "node:path";
import {
  DATASET_KEYS,
  type DatasetSpec,
  getDataset,
  hasSamples,
  listDatasets,
  readSamples,
  resolveDatasetFiles,
  sampleFiles,
  type SampleItem,
  unwrapBoxed,
} from "../src/datasets/mod.ts";
import { pairChineseQuotes, splitSentences } from "../src/text/mod.ts";
import { FIXTURE_ROWS, writeHubLayout } from "./helpers/hub_fixtures.ts";
import { withTempDir } from "./helpers/video.ts";

const ROWS_DIR = join(import.meta.dirname!, "fixtures", "rows");

async function jsonlRows(name: string): Promise<Record<string, unknown>[]> {
  const text = await Deno.readTextFile(join(ROWS_DIR, name));
  return text.split("\n").filter((line) => line.trim()).map((line) => JSON.parse(line));
}

/** Every fixture row file and the dataset whose shape it has. */
const FIXTURE_FILES: [string, string][] = [
  ["gsm8k_head300.jsonl", "gsm8k"],
  ["gsm8k_longest.jsonl", "gsm8k"],
  ["openmath2_gsm8k_converted.jsonl", "openmath2_gsm8k"],
  ["openmath2_gsm8k_synthetic.jsonl", "openmath2_gsm8k"],
  ["belle_head60.jsonl", "belle_school_math"],
  ["tinystories_head60.jsonl", "tinystories"],
  ["tinystories_chinese_row0.jsonl", "tinystories_chinese"],
  ["tinystories_chinese_synthetic.jsonl", "tinystories_chinese"],
];

function ok(spec: DatasetSpec, row: unknown): { prompt: string; response: string } {
  const result = spec.clean(row);
  assert.ok(result.ok, `expected ok, got ${JSON.stringify(result)}`);
  return result;
}

function reason(spec: DatasetSpec, row: unknown): string {
  const result = spec.clean(row);
  assert.ok(!result.ok, `expected a skip, got ${JSON.stringify(result)}`);
  return result.reason;
}

Deno.test("gsm8k: first real row cleans exactly", async () => {
  const [row] = await jsonlRows("gsm8k_head300.jsonl");
  const result = ok(getDataset("gsm8k"), row);
  assert.equal(
    result.prompt,
    "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did Natalia sell altogether in April and May?",
  );
  assert.equal(
    result.response,
    "Natalia sold 48/2 = 24 clips in May.\nNatalia sold 48+24 = 72 clips altogether in April and May.\nSo the answer is: 72.",
  );
});

Deno.test("gsm8k: annotations dropped, final answer spelled out, lines kept", async () => {
  const spec = getDataset("gsm8k");
  for (const row of await jsonlRows("gsm8k_head300.jsonl")) {
    const { response } = ok(spec, row);
    assert.ok(!/<<|>>|####/.test(response), response);
    assert.ok(!/ {2}/.test(response));
    const lines = response.split("\n");
    assert.match(lines.at(-1)!, /^So the answer is: .*[^.]\.$|^So the answer is: .*[!?]$/);
    assert.equal(lines.length, (row.answer as string).split("\n").filter((l) => l.trim()).length);
  }
  assert.equal(
    ok(spec, { question: "What is   two plus two, exactly?", answer: "2+2=<<2+2=4>>4  \n#### 4." })
      .response,
    "2+2=4\nSo the answer is: 4.",
  );
  assert.equal(
    ok(spec, { question: "What is   two plus two, exactly?", answer: "x" }).prompt,
    "What is two plus two, exactly?",
  );
});

Deno.test("openmath2_gsm8k: \\boxed{} unwrapped with nested braces", async () => {
  assert.equal(unwrapBoxed("so \\boxed{45} bars"), "so 45 bars");
  assert.equal(unwrapBoxed("is \\boxed{\\frac{1}{2}}."), "is \\frac{1}{2}.");
  assert.equal(unwrapBoxed("\\boxed{a{b{c}}d} and \\boxed{2}"), "a{b{c}}d and 2");
  assert.equal(unwrapBoxed("\\boxed{\\boxed{7}}"), "7");
  assert.equal(unwrapBoxed("broken \\boxed{1{2}"), "broken \\boxed{1{2}");
  const spec = getDataset("openmath2_gsm8k");
  const [real] = await jsonlRows("openmath2_gsm8k_converted.jsonl");
  const result = ok(spec, real);
  assert.ok(result.prompt.startsWith("Ava is planning a camping trip"));
  assert.ok(
    result.response.endsWith("Ava will need to pack 45 granola bars in total for the entire trip."),
  );
  assert.equal(result.response.split("\n").length, 5);
  for (const row of await jsonlRows("openmath2_gsm8k_synthetic.jsonl")) {
    assert.equal(row._fixture, "synthetic");
    assert.ok(!ok(spec, row).response.includes("\\boxed"));
  }
  assert.equal(
    reason(spec, { messages: [{ role: "user", content: "A long enough question?" }] }),
    "missing message 'assistant'",
  );
  assert.equal(reason(spec, { messages: "hi" }), "wrong type 'messages': string");
  assert.equal(reason(spec, { problem: "x" }), "missing field 'messages'");
});

Deno.test("belle_school_math: trimmed, input appended, LaTeX kept", async () => {
  const spec = getDataset("belle_school_math");
  const rows = await jsonlRows("belle_head60.jsonl");
  for (const row of rows) {
    const { prompt, response } = ok(spec, row);
    assert.equal(prompt, prompt.trim());
    assert.equal(response, response.trim());
  }
  const third = ok(spec, rows[2]);
  assert.equal(
    third.prompt,
    "题目：\n鹿妈妈买了24个苹果，她想平均分给她的3只小鹿吃，每只小鹿可以分到几个苹果？",
  );
  assert.ok(third.response.startsWith("鹿妈妈买了24个苹果"));
  const custom = ok(spec, {
    instruction: "  计算下面的分数：  ",
    input: " $\\frac{3}{5}+\\frac{1}{5}$ ",
    output: "\n答案是 $\\frac{4}{5}$。\n",
  });
  assert.deepEqual(custom, {
    ok: true,
    prompt: "计算下面的分数：\n$\\frac{3}{5}+\\frac{1}{5}$",
    response: "答案是 $\\frac{4}{5}$。",
  });
});

Deno.test("tinystories: opening is two sentences, the rest follows; Hub \\n\\n form agrees", async () => {
  const spec = getDataset("tinystories");
  const rows = await jsonlRows("tinystories_head60.jsonl");
  const first = ok(spec, rows[0]);
  assert.equal(
    first.prompt,
    "One day, a little girl named Lily found a needle in her room. She knew it was difficult to play with it because it was sharp.",
  );
  assert.ok(first.response.startsWith("Lily wanted to share the needle with her mom"));
  assert.ok(
    first.response.endsWith("They both felt happy because they had shared and worked together."),
  );
  assert.ok(!first.response.includes("\n"));
  for (const row of rows) {
    const txt = ok(spec, row);
    const hub = ok(spec, { text: (row.text as string).replace(/\n/g, "\n\n") });
    assert.deepEqual(hub, txt);
    assert.equal(splitSentences(txt.prompt, "en").length, 2);
    // Nothing but whitespace is lost.
    assert.equal(
      (txt.prompt + txt.response).replace(/\s/g, ""),
      (row.text as string).replace(/\s/g, ""),
    );
  }
  assert.match(reason(spec, { text: "Too short. Really." }), /^too short: 2 sentences$/);
});

Deno.test("tinystories_chinese: quotes paired before splitting", async () => {
  const spec = getDataset("tinystories_chinese");
  const [real] = await jsonlRows("tinystories_chinese_row0.jsonl");
  const result = ok(spec, real);
  assert.equal(result.prompt, "莉莉和本是朋友。他们喜欢在公园里玩。");
  assert.ok(result.response.includes("“推我，本！”她说。"));
  assert.ok(!result.response.includes('"'));
  assert.ok(!result.response.includes("\n"));
  assert.equal(
    (result.prompt + result.response).replace(/[\s“”]/g, ""),
    (real.story_zh as string).replace(/[\s"]/g, ""),
  );
  for (const row of await jsonlRows("tinystories_chinese_synthetic.jsonl")) {
    assert.equal(row._fixture, "synthetic");
    ok(spec, row);
  }
  assert.equal(pairChineseQuotes('他说:"好。"她说:"不"。"'), "他说:“好。”她说:“不”。“");
});

Deno.test("splitSentences: rules and no lost characters on every real row", async () => {
  assert.deepEqual(
    splitSentences(
      'Mr. Smith paid $3.50. "Push me, Ben!" she says. Wait... what? Yes!\nNew line',
      "en",
    ),
    ["Mr. Smith paid $3.50.", '"Push me, Ben!" she says.', "Wait... what?", "Yes!", "New line"],
  );
  assert.deepEqual(splitSentences('He said, "Stop!" Then he left. (It was late.) OK', "en"), [
    'He said, "Stop!"',
    "Then he left.",
    "(It was late.)",
    "OK",
  ]);
  assert.deepEqual(splitSentences("价格是3.5元。好的!真的?「对。」\n下一行", "zh"), [
    "价格是3.5元。",
    "好的!",
    "真的?",
    "「对。」",
    "下一行",
  ]);
  assert.deepEqual(splitSentences("  \n\n ", "en"), []);
  for (const [file, key] of FIXTURE_FILES) {
    const language = getDataset(key).language;
    for (const row of await jsonlRows(file)) {
      const texts = [row.question, row.answer, row.text, row.story_zh, row.instruction, row.output]
        .filter((value): value is string => typeof value === "string");
      for (const text of texts) {
        const sentences = splitSentences(text, language);
        const glue = language === "en" ? " " : "";
        assert.equal(sentences.join(glue).replace(/\s/g, ""), text.replace(/\s/g, ""), file);
        assert.ok(sentences.every((s) => s.length > 0 && s === s.trim()));
      }
    }
  }
});

Deno.test("bad rows become skip reasons, never throws", () => {
  for (const spec of listDatasets()) {
    assert.equal(reason(spec, null), "not an object: null");
    assert.equal(reason(spec, 42), "not an object: number");
    assert.equal(reason(spec, "text"), "not an object: string");
    assert.equal(reason(spec, [1]), "not an object: array");
    assert.match(reason(spec, {}), /^missing field '/);
  }
  const gsm8k = getDataset("gsm8k");
  assert.equal(reason(gsm8k, { question: "How many apples are there?" }), "missing field 'answer'");
  assert.equal(reason(gsm8k, { question: null, answer: "1" }), "missing field 'question': null");
  assert.equal(reason(gsm8k, { question: 7, answer: "1" }), "wrong type 'question': number");
  assert.equal(
    reason(gsm8k, { question: "\u0001\u0002\t \u200B", answer: "#### 1" }),
    "empty prompt",
  );
  assert.equal(
    reason(gsm8k, { question: "How many apples are there?", answer: "<<1+1=2>>" }),
    "empty response",
  );
  assert.match(
    reason(gsm8k, { question: "Why?", answer: "#### 1" }),
    /^too short: prompt has 4 characters$/,
  );
  assert.match(
    reason(gsm8k, { question: "How many 🍎 are there in all?", answer: "#### 3" }),
    /^unsupported character: emoji U\+1F34E$/,
  );
  // Control characters are removed, tabs become spaces, zero-width characters vanish, NFC applied.
  assert.deepEqual(
    gsm8k.clean({
      question: "How\tmany\u0007 cafe\u0301\u200B cups\r\nare there?",
      answer: "3\u0000 cups.\n#### 3",
    }),
    {
      ok: true,
      prompt: "How many café cups\nare there?",
      response: "3 cups.\nSo the answer is: 3.",
    },
  );
  const story = getDataset("tinystories");
  assert.equal(reason(story, { text: null }), "missing field 'text': null");
  assert.equal(reason(story, { text: "" }), "empty prompt");
  assert.match(
    reason(story, { text: "A dog ran. It sat. It smiled 😀. The end." }),
    /^unsupported character: emoji/,
  );
});

Deno.test("every fixture row cleans without throwing; every real row is usable", async () => {
  for (const [file, key] of FIXTURE_FILES) {
    const spec = getDataset(key);
    for (const row of await jsonlRows(file)) {
      const result = spec.clean(row);
      assert.ok(result.ok, `${file}: ${JSON.stringify(result)}`);
    }
  }
});

/** Parse the template tables of prompt_templates.md (`\n` in a cell means a newline). */
async function markdownTemplates(): Promise<Record<string, string[]>> {
  const text = await Deno.readTextFile(join(ROWS_DIR, "prompt_templates.txt"));
  const [silent, narrated] = text.split("## Narrated videos");
  const cells = (section: string) =>
    section.split("\n").filter((line) => line.startsWith("|") && line.includes("`")).map((line) =>
      [...line.matchAll(/`([^`]*)`/g)].map((m) => m[1].replaceAll("\\n", "\n"))
    );
  const s = cells(silent);
  const n = cells(narrated);
  assert.equal(s.length, 4);
  assert.equal(n.length, 3);
  return {
    gsm8k: [...s[0], ...n[0]],
    openmath2_gsm8k: [...s[0], ...n[0]],
    tinystories: [...s[1], ...n[1]],
    belle_school_math: [...s[2], ...n[2]],
    tinystories_chinese: [...s[3], ...n[2]],
    // A Chinese math dataset gets the Chinese math templates (BELLE's).
    gsm8k_chinese: [...s[2], ...n[2]],
  };
}

Deno.test("templates equal prompt_templates.txt (in the seed's look: white background, black text)", async () => {
  const expected = await markdownTemplates();
  // English silent templates name the colours the video shows (#19); the seed's are these.
  const seedLook = (template: string) =>
    template.replaceAll("{background_color}", "white").replaceAll("{text_color}", "black");
  for (const spec of listDatasets()) {
    const t = spec.templates;
    assert.deepEqual(
      [t.inference, t.rendering, t.audioInference, t.audioRendering].map(seedLook),
      expected[spec.key],
      spec.key,
    );
  }
});

Deno.test("registry: keys, lookup, unknown key", () => {
  assert.deepEqual([...DATASET_KEYS], [
    "gsm8k",
    "openmath2_gsm8k",
    "belle_school_math",
    "tinystories",
    "tinystories_chinese",
    "gsm8k_chinese",
  ]);
  assert.equal(getDataset("tinystories").repo, "roneneldan/TinyStories");
  assert.throws(
    () => getDataset("nope"),
    /unknown dataset 'nope' \(valid: gsm8k, openmath2_gsm8k, belle_school_math, tinystories, tinystories_chinese, gsm8k_chinese\)/,
  );
  for (const spec of listDatasets()) assert.equal(getDataset(spec.key), spec);
});

async function collectSamples(spec: DatasetSpec, files: string[], start?: number, count?: number) {
  return await Array.fromAsync(readSamples(spec, files, { start, count }));
}

function samplesOnly(items: SampleItem[]) {
  return items.map((item) => {
    assert.ok("sample" in item, JSON.stringify(item));
    return item.sample;
  });
}

Deno.test("resolveDatasetFiles + readSamples on every Hub layout", async () => {
  await withTempDir(async (dataDir) => {
    for (const spec of listDatasets()) {
      await assert.rejects(
        () => resolveDatasetFiles(spec, dataDir),
        (error: Error) =>
          error.message.includes(`videoword download ${spec.key} --data-dir ${dataDir}`) &&
          !error.message.includes("\n"),
      );
      const rels = await writeHubLayout(spec.key, join(dataDir, spec.key));
      // Files of other splits and half-finished downloads do not match.
      await Deno.mkdir(join(dataDir, spec.key, "main"), { recursive: true });
      await Deno.writeTextFile(join(dataDir, spec.key, "main", "test-00000-of-00001.parquet"), "");
      await Deno.writeTextFile(join(dataDir, spec.key, "README.md"), "");
      await Deno.writeTextFile(join(dataDir, spec.key, `${rels[0]}.incomplete`), "");
      const files = await resolveDatasetFiles(spec, dataDir);
      assert.deepEqual(files, rels.sort().map((rel) => join(dataDir, spec.key, rel)));

      const items = await collectSamples(spec, files);
      const samples = samplesOnly(items);
      assert.equal(samples.length, FIXTURE_ROWS[spec.key]);
      assert.deepEqual(samples.map((s) => s.index), samples.map((_, i) => i));
      assert.deepEqual(await collectSamples(spec, files, 5, 3), items.slice(5, 8));
    }
    const gsm8k = getDataset("gsm8k");
    const [first] = samplesOnly(
      await collectSamples(gsm8k, await resolveDatasetFiles(gsm8k, dataDir), 0, 1),
    );
    assert.equal(first.response.split("\n").at(-1), "So the answer is: 72.");
  });
});

Deno.test("readSamples: unreadable rows and rejected rows are skips with reasons", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "rows.jsonl");
    await Deno.writeTextFile(
      path,
      [
        '{"question":"How many apples are there?","answer":"#### 3"}',
        "{broken",
        '{"question":null,"answer":"1"}',
        "17",
        '{"question":"How many pears are there?","answer":"#### 4"}',
      ].join("\n"),
    );
    const items = await collectSamples(getDataset("gsm8k"), [path]);
    assert.deepEqual(items, [
      {
        index: 0,
        sample: {
          index: 0,
          prompt: "How many apples are there?",
          response: "So the answer is: 3.",
        },
      },
      { index: 1, skip: "unreadable row: line 2 of rows.jsonl: invalid JSON" },
      { index: 2, skip: "missing field 'question': null" },
      { index: 3, skip: "unreadable row: line 4 of rows.jsonl: not a JSON object (a number)" },
      {
        index: 4,
        sample: { index: 4, prompt: "How many pears are there?", response: "So the answer is: 4." },
      },
    ]);
  });
});

Deno.test("embedded samples: 24-40 rows each, all usable, synthetic rows marked, licences", async () => {
  // gsm8k_chinese has a single real row at hand: it ships no samples, and says so.
  assert.deepEqual(listDatasets().filter((spec) => !hasSamples(spec)).map((s) => s.key), [
    "gsm8k_chinese",
  ]);
  assert.throws(
    () => sampleFiles(getDataset("gsm8k_chinese")),
    /gsm8k_chinese has no embedded samples \(--source samples\): run: videoword download gsm8k_chinese/,
  );
  for (const spec of listDatasets().filter(hasSamples)) {
    const files = sampleFiles(spec);
    assert.equal(files.length, 1);
    const items = await collectSamples(spec, files);
    assert.ok(items.length >= 24 && items.length <= 40, `${spec.key}: ${items.length}`);
    samplesOnly(items);
    const lines = (await Deno.readTextFile(files[0])).split("\n").filter((l) => l.trim());
    const synthetic = lines.filter((line) => JSON.parse(line)._fixture === "synthetic").length;
    if (spec.key === "openmath2_gsm8k" || spec.key === "tinystories_chinese") {
      assert.equal(synthetic, lines.length - 1);
    } else {
      assert.equal(synthetic, 0);
    }
  }
  const licences = await Deno.readTextFile(
    join(import.meta.dirname!, "..", "src", "datasets", "samples", "LICENSES.md"),
  );
  for (const word of ["MIT License", "CC-BY-4.0", "GPL-3.0", "CDLA-Sharing-1.0"]) {
    assert.ok(licences.includes(word), word);
  }
  // Long GSM8K questions are among the samples.
  const gsm = samplesOnly(
    await collectSamples(getDataset("gsm8k"), sampleFiles(getDataset("gsm8k"))),
  );
  assert.ok(gsm.some((s) => s.prompt.length > 600));
});
