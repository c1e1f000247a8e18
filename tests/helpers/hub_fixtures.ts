/**
 * Writes Hub-shaped dataset repos (same file paths and formats as on the Hugging Face Hub) from
 * the real and synthetic rows in `tests/fixtures/rows`, for tests that need real file formats.
 */
import { dirname, join } from "node:path";
import { parquetWriteBuffer } from "hyparquet-writer";
import type { SchemaElement } from "hyparquet";
import { packTar } from "modern-tar";

const ROWS_DIR = join(import.meta.dirname!, "..", "fixtures", "rows");

/** Every fixture row file of every dataset (line-break, glyph and yield audits read them all). */
const ROW_FILES: Readonly<Record<string, readonly string[]>> = {
  gsm8k: ["gsm8k_train.jsonl", "gsm8k_head300.jsonl", "gsm8k_longest.jsonl"],
  belle_school_math: ["belle_head60.jsonl"],
  openmath2_gsm8k: ["openmath2_gsm8k_converted.jsonl", "openmath2_gsm8k_synthetic.jsonl"],
  tinystories: ["tinystories_head60.jsonl"],
  tinystories_chinese: ["tinystories_chinese_row0.jsonl", "tinystories_chinese_synthetic.jsonl"],
};

/** Each dataset key with the full paths of all its fixture row files. */
export function fixtureRowFiles(): [key: string, paths: string[]][] {
  return Object.entries(ROW_FILES).map((
    [key, files],
  ) => [key, files.map((f) => join(ROWS_DIR, f))]);
}

/** Rows each layout holds by default (before `options.rows`). */
export const FIXTURE_ROWS: Record<string, number> = {
  gsm8k: 300,
  openmath2_gsm8k: 24,
  belle_school_math: 60,
  tinystories: 60,
  tinystories_chinese: 24,
  gsm8k_chinese: 4,
};

/** Rows of gsm8k_chinese's test split fixture (`data/test-*.parquet`). */
export const GSM8K_CHINESE_TEST_ROWS = 4;

/** Real rows of gsm8k's test split (its first 50, in order) in the test Parquet. */
export const GSM8K_TEST_ROWS = 50;

/**
 * Write gsm8k's test split file, `main/test-00000-of-00001.parquet`, from the first 50 real test
 * rows (`tests/fixtures/rows/gsm8k_test_head50.jsonl`), under `repoDir`; return its repo path.
 */
export async function writeGsm8kTestSplit(repoDir: string): Promise<string> {
  return await writeGsm8kSplit(repoDir, "test", await readJsonl("gsm8k_test_head50.jsonl"));
}

/** gsm8k's `main/SPLIT-00000-of-00001.parquet` of `rows` (question, answer) under `repoDir`. */
async function writeGsm8kSplit(
  repoDir: string,
  split: "train" | "test",
  rows: Record<string, unknown>[],
): Promise<string> {
  const path = `main/${split}-00000-of-00001.parquet`;
  await writeFile(
    repoDir,
    path,
    stringParquet({
      question: rows.map((row) => row.question as string),
      answer: rows.map((row) => row.answer as string),
    }, GSM8K_ROW_GROUP_SIZE),
  );
  return path;
}

/**
 * Write one split of gsm8k_chinese as the Hub has it, `data/SPLIT-00000-of-00001.parquet` with
 * `question`, `answer`, `question_zh-cn` strings and an int64 `answer_only`, from
 * `tests/fixtures/rows/gsm8k_chinese.jsonl`; return its repo path.
 */
export async function writeGsm8kChineseSplit(
  repoDir: string,
  split: "train" | "test",
): Promise<string> {
  const rows = (await readJsonl("gsm8k_chinese.jsonl")).filter((row) => row.split === split);
  const path = `data/${split}-00000-of-00001.parquet`;
  const text = (name: string) => ({
    name,
    data: rows.map((row) => row[name] as string),
    type: "STRING" as const,
  });
  const bytes = parquetWriteBuffer({
    columnData: [
      text("question"),
      text("answer"),
      text("question_zh-cn"),
      {
        name: "answer_only",
        data: rows.map((row) => BigInt(row.answer_only as number)),
        type: "INT64",
      },
    ],
    codec: "SNAPPY",
  });
  await writeFile(repoDir, path, new Uint8Array(bytes));
  return path;
}

/** Row-group size of the gsm8k fixture Parquet (so 300 rows make 5 groups). */
export const GSM8K_ROW_GROUP_SIZE = 64;

/** Options for {@link writeHubLayout}. */
export interface HubLayoutOptions {
  /** How many rows to write; more than the fixtures hold repeats them cyclically. */
  rows?: number;
}

async function readJsonl(name: string): Promise<Record<string, unknown>[]> {
  const text = await Deno.readTextFile(join(ROWS_DIR, name));
  return text.split("\n").filter((line) => line.trim()).map((line) => JSON.parse(line));
}

function take<T>(rows: T[], count: number): T[] {
  return Array.from({ length: count }, (_, i) => rows[i % rows.length]);
}

/** Split `rows` into `parts` nearly equal consecutive chunks. */
function chunk<T>(rows: T[], parts: number): T[][] {
  const size = Math.ceil(rows.length / parts);
  return Array.from({ length: parts }, (_, i) => rows.slice(i * size, (i + 1) * size));
}

async function writeFile(repoDir: string, repoPath: string, bytes: Uint8Array): Promise<void> {
  const path = join(repoDir, repoPath);
  await Deno.mkdir(dirname(path), { recursive: true });
  await Deno.writeFile(path, bytes);
}

function stringParquet(columns: Record<string, string[]>, rowGroupSize: number): Uint8Array {
  const columnData = Object.entries(columns).map(([name, data]) => ({
    name,
    data,
    type: "STRING" as const,
  }));
  return new Uint8Array(parquetWriteBuffer({ columnData, rowGroupSize, codec: "SNAPPY" }));
}

/** The pyarrow layout of `messages: list<struct<content: string, role: string>>`. */
const MESSAGES_SCHEMA: SchemaElement[] = [
  { name: "schema", num_children: 1 },
  { name: "messages", repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 },
  { name: "list", repetition_type: "REPEATED", num_children: 1 },
  { name: "element", repetition_type: "OPTIONAL", num_children: 2 },
  { name: "content", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" },
  { name: "role", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" },
];

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream()
    .pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function jsonLines(rows: unknown[]): string {
  return rows.map((row) => JSON.stringify(row)).join("\n") + "\n";
}

/**
 * Write dataset `key`'s Hub repo files under `repoDir` and return their repo-relative paths:
 * gsm8k one snappy Parquet with several row groups; openmath2_gsm8k two Parquet files with a
 * nested `messages` column; belle one JSON Lines `.json`; tinystories four Parquet files with
 * `\n\n` paragraphs; tinystories_chinese a `.tar.gz` of three `dataNN_zh.jsonl` members;
 * gsm8k_chinese its train Parquet (see {@linkcode writeGsm8kChineseSplit}).
 */
export async function writeHubLayout(
  key: string,
  repoDir: string,
  options: HubLayoutOptions = {},
): Promise<string[]> {
  const count = options.rows ?? FIXTURE_ROWS[key];
  switch (key) {
    case "gsm8k": {
      const rows = take(await readJsonl("gsm8k_head300.jsonl"), count);
      return [await writeGsm8kSplit(repoDir, "train", rows)];
    }
    case "openmath2_gsm8k": {
      const all = [
        ...await readJsonl("openmath2_gsm8k_converted.jsonl"),
        ...await readJsonl("openmath2_gsm8k_synthetic.jsonl"),
      ];
      const parts = chunk(take(all, count), 2);
      const paths: string[] = [];
      for (const [i, rows] of parts.entries()) {
        const path = `data/train-0000${i}-of-00002.parquet`;
        const data = rows.map((row) => row.messages as Record<string, unknown>[]);
        const bytes = parquetWriteBuffer({
          columnData: [{ name: "messages", data }],
          schema: MESSAGES_SCHEMA,
          rowGroupSize: 5,
          codec: "SNAPPY",
        });
        await writeFile(repoDir, path, new Uint8Array(bytes));
        paths.push(path);
      }
      return paths;
    }
    case "belle_school_math": {
      const lines = (await Deno.readTextFile(join(ROWS_DIR, "belle_head60.jsonl")))
        .split("\n").filter((line) => line.trim());
      const path = "school_math_0.25M.json";
      await writeFile(
        repoDir,
        path,
        new TextEncoder().encode(take(lines, count).join("\n") + "\n"),
      );
      return [path];
    }
    case "tinystories": {
      const rows = take(await readJsonl("tinystories_head60.jsonl"), count);
      // The Hub's Parquet separates paragraphs with a blank line; the .txt head uses one `\n`.
      const texts = rows.map((row) => (row.text as string).replace(/\n/g, "\n\n"));
      const hashes = [
        "2d5a1467fff1081b",
        "5852b56a2bd28fd9",
        "a26307300439e943",
        "d243063613e5a057",
      ];
      const paths: string[] = [];
      for (const [i, part] of chunk(texts, 4).entries()) {
        const path = `data/train-0000${i}-of-00004-${hashes[i]}.parquet`;
        await writeFile(repoDir, path, stringParquet({ text: part }, 8));
        paths.push(path);
      }
      return paths;
    }
    case "tinystories_chinese": {
      const all = [
        ...await readJsonl("tinystories_chinese_row0.jsonl"),
        ...await readJsonl("tinystories_chinese_synthetic.jsonl"),
      ];
      const members = chunk(take(all, count), 3).map((rows, i) => ({
        header: {
          name: `data${String(i).padStart(2, "0")}_zh.jsonl`,
          size: 0,
          type: "file" as const,
        },
        body: new TextEncoder().encode(jsonLines(rows)),
      }));
      for (const member of members) member.header.size = member.body.length;
      const path = "TinyStories_all_data_zh.tar.gz";
      await writeFile(repoDir, path, await gzip(await packTar(members)));
      return [path];
    }
    case "gsm8k_chinese":
      return [await writeGsm8kChineseSplit(repoDir, "train")];
    default:
      throw new Error(`no Hub fixture layout for dataset '${key}'`);
  }
}
