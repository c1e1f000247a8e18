import assert from "node:assert/strict";
import { join } from "node:path";
import { parquetMetadata } from "hyparquet";
import { packTar } from "modern-tar";
import { countRows, readRows, type RowItem } from "../src/readers/mod.ts";
import { FIXTURE_ROWS, GSM8K_ROW_GROUP_SIZE, writeHubLayout } from "./helpers/hub_fixtures.ts";
import { withTempDir } from "./helpers/video.ts";

const ROWS_DIR = join(import.meta.dirname!, "fixtures", "rows");

async function jsonlRows(name: string): Promise<Record<string, unknown>[]> {
  const text = await Deno.readTextFile(join(ROWS_DIR, name));
  return text.split("\n").filter((line) => line.trim()).map((line) => JSON.parse(line));
}

async function collect(files: string[], start?: number, count?: number): Promise<RowItem[]> {
  return await Array.fromAsync(readRows(files, { start, count }));
}

function rowsOf(items: RowItem[]): unknown[] {
  return items.map((item) => {
    assert.ok("row" in item, `unexpected error item: ${JSON.stringify(item)}`);
    return item.row;
  });
}

const encoder = new TextEncoder();

Deno.test("jsonl: blank lines are not rows, bad lines are counted errors with their line", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "foo.jsonl");
    const bytes = [
      encoder.encode('{"a":1}\n\n   \n{"a":2}\r\n'), // lines 1-4
      encoder.encode("{not json}\n"), // line 5 → index 2
      new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d, 0x0a]), // line 6
      encoder.encode('42\nnull\n[1,2]\n{"a":"é"}'), // lines 7-10, no final newline
    ];
    await Deno.writeFile(path, new Uint8Array(bytes.flatMap((b) => [...b])));
    const items = await collect([path]);
    assert.deepEqual(items, [
      { index: 0, row: { a: 1 } },
      { index: 1, row: { a: 2 } },
      { index: 2, error: "line 5 of foo.jsonl: invalid JSON" },
      { index: 3, error: "line 6 of foo.jsonl: invalid UTF-8" },
      { index: 4, error: "line 7 of foo.jsonl: not a JSON object (a number)" },
      { index: 5, error: "line 8 of foo.jsonl: not a JSON object (null)" },
      { index: 6, error: "line 9 of foo.jsonl: not a JSON object (an array)" },
      { index: 7, row: { a: "é" } },
    ]);
    assert.equal(await countRows([path]), 8);
    assert.deepEqual(await collect([path], 2, 3), items.slice(2, 5));
    assert.deepEqual(await collect([path], 7, 100), items.slice(7));
    assert.deepEqual(await collect([path], 8), []);
    assert.deepEqual(await collect([path], 0, 0), []);
  });
});

Deno.test("json: a JSON Lines .json (BELLE) and a JSON array .json are both read", async () => {
  await withTempDir(async (dir) => {
    const repo = join(dir, "belle");
    const [belle] = await writeHubLayout("belle_school_math", repo);
    const belleRows = await jsonlRows("belle_head60.jsonl");
    const belleItems = await collect([join(repo, belle)]);
    assert.deepEqual(rowsOf(belleItems), belleRows);
    assert.deepEqual(belleItems.map((item) => item.index), belleRows.map((_, i) => i));
    assert.equal(await countRows([join(repo, belle)]), 60);

    // A pretty-printed array whose strings hold brackets, commas, braces and escaped quotes.
    const tricky = [
      { q: 'a ] b, c } d { e [ "quoted" \\ back', n: [1, [2, 3], { x: "]" }] },
      { q: "second", nested: { deep: { deeper: ["}", "{", ","] } } },
      { q: "中文，“引号”" },
    ];
    const arrayPath = join(dir, "rows.json");
    const text = "\uFEFF \n[\n" + tricky.map((row) => JSON.stringify(row, null, 2)).join(" ,\n") +
      ",\n 7, \n{bad json}\n]\n";
    await Deno.writeTextFile(arrayPath, text);
    const items = await collect([arrayPath]);
    assert.deepEqual(items, [
      { index: 0, row: tricky[0] },
      { index: 1, row: tricky[1] },
      { index: 2, row: tricky[2] },
      { index: 3, error: "element 4 of rows.json: not a JSON object (a number)" },
      { index: 4, error: "element 5 of rows.json: invalid JSON" },
    ]);
    assert.equal(await countRows([arrayPath]), 5);
    assert.deepEqual(await collect([arrayPath], 1, 2), items.slice(1, 3));

    // Truncated array: the partial element is reported, not silently dropped.
    const truncated = join(dir, "cut.json");
    await Deno.writeTextFile(truncated, '[{"a":1},{"a":');
    const cutError = "the JSON array has no closing ']' (truncated file?)";
    assert.deepEqual(await collect([truncated]), [
      { index: 0, row: { a: 1 } },
      { index: 1, error: `element 2 of cut.json: ${cutError}` },
    ]);
    // Missing only its `]`: the last element is whole JSON but still not accepted silently.
    await Deno.writeTextFile(truncated, '[{"a":1},{"a":2}\n');
    assert.deepEqual(await collect([truncated]), [
      { index: 0, row: { a: 1 } },
      { index: 1, error: `element 2 of cut.json: ${cutError}` },
    ]);
    assert.equal(await countRows([truncated]), 2);
    await Deno.writeTextFile(truncated, '[{"a":1},');
    assert.deepEqual(await collect([truncated]), [
      { index: 0, row: { a: 1 } },
      { index: 1, error: `element 2 of cut.json: ${cutError}` },
    ]);
  });
});

Deno.test("parquet: multi-row-group snappy file, start/count spanning row groups", async () => {
  await withTempDir(async (dir) => {
    const [rel] = await writeHubLayout("gsm8k", dir);
    const path = join(dir, rel);
    const metadata = parquetMetadata((await Deno.readFile(path)).buffer);
    assert.equal(metadata.row_groups.length, Math.ceil(300 / GSM8K_ROW_GROUP_SIZE));
    assert.ok(metadata.row_groups.every((g) => g.columns[0].meta_data?.codec === "SNAPPY"));
    const expected = await jsonlRows("gsm8k_head300.jsonl");

    const all = await collect([path]);
    assert.deepEqual(rowsOf(all), expected);
    assert.deepEqual(all.map((item) => item.index), expected.map((_, i) => i));

    for (const [start, count] of [[60, 10], [100, 150], [63, 2], [0, 1], [299, 5], [128, 64]]) {
      const items = await collect([path], start, count);
      assert.deepEqual(rowsOf(items), expected.slice(start, start + count), `${start}+${count}`);
      assert.equal(items[0].index, start);
    }
    assert.equal(await countRows([path]), 300);
  });
});

Deno.test("parquet: row groups before start are never read (corrupt group 0 is not touched)", async () => {
  await withTempDir(async (dir) => {
    const [rel] = await writeHubLayout("gsm8k", dir);
    const path = join(dir, rel);
    const bytes = await Deno.readFile(path);
    const metadata = parquetMetadata(bytes.buffer);
    const group0 = metadata.row_groups[0];
    const group1 = metadata.row_groups[1];
    // Overwrite every data byte of row group 0 (all its column chunks) with garbage.
    const from = Math.min(
      ...group0.columns.map((c) =>
        Number(c.meta_data!.dictionary_page_offset ?? c.meta_data!.data_page_offset)
      ),
    );
    const to = Math.min(
      ...group1.columns.map((c) =>
        Number(c.meta_data!.dictionary_page_offset ?? c.meta_data!.data_page_offset)
      ),
    );
    assert.ok(from > 0 && to > from);
    bytes.fill(0xff, from, to);
    await Deno.writeFile(path, bytes);
    const expected = await jsonlRows("gsm8k_head300.jsonl");

    // Seeking past group 0 decodes fine: its bytes were never read.
    const later = await collect([path], GSM8K_ROW_GROUP_SIZE, 100);
    assert.deepEqual(
      rowsOf(later),
      expected.slice(GSM8K_ROW_GROUP_SIZE, GSM8K_ROW_GROUP_SIZE + 100),
    );
    // Reading group 0 itself reports one-line errors for its rows, then carries on.
    const first = await collect([path], 60, 10);
    assert.deepEqual(first.map((item) => item.index), [60, 61, 62, 63, 64, 65, 66, 67, 68, 69]);
    for (const item of first.slice(0, 4)) {
      assert.ok("error" in item && /^row \d+ of train-00000-of-00001\.parquet: /.test(item.error));
      assert.ok(!item.error.includes("\n"));
    }
    assert.deepEqual(rowsOf(first.slice(4)), expected.slice(64, 70));
    assert.equal(await countRows([path]), 300); // metadata only
  });
});

Deno.test("parquet: nested list<struct> comes out as plain objects; files chain", async () => {
  await withTempDir(async (dir) => {
    const rels = await writeHubLayout("openmath2_gsm8k", dir);
    assert.deepEqual(rels, [
      "data/train-00000-of-00002.parquet",
      "data/train-00001-of-00002.parquet",
    ]);
    const paths = rels.map((rel) => join(dir, rel));
    const source = [
      ...await jsonlRows("openmath2_gsm8k_converted.jsonl"),
      ...await jsonlRows("openmath2_gsm8k_synthetic.jsonl"),
    ];
    const items = await collect(paths);
    assert.equal(items.length, 24);
    const rows = rowsOf(items) as { messages: Record<string, unknown>[] }[];
    for (const [i, row] of rows.entries()) {
      assert.equal(Object.getPrototypeOf(row), Object.prototype);
      assert.ok(Array.isArray(row.messages));
      assert.equal(Object.getPrototypeOf(row.messages[0]), Object.prototype);
      assert.deepEqual(row.messages, source[i].messages);
    }
    // A range across the two files keeps global indexes.
    const span = await collect(paths, 10, 5);
    assert.deepEqual(span.map((item) => item.index), [10, 11, 12, 13, 14]);
    assert.deepEqual(rowsOf(span), rows.slice(10, 15));
    assert.equal(await countRows(paths), 24);
  });
});

Deno.test("tar.gz: members in archive order, other members skipped, bad lines named", async () => {
  await withTempDir(async (dir) => {
    const [rel] = await writeHubLayout("tinystories_chinese", dir);
    const path = join(dir, rel);
    const source = [
      ...await jsonlRows("tinystories_chinese_row0.jsonl"),
      ...await jsonlRows("tinystories_chinese_synthetic.jsonl"),
    ];
    const items = await collect([path]);
    assert.deepEqual(rowsOf(items), source);
    assert.deepEqual(rowsOf(await collect([path], 6, 5)), source.slice(6, 11)); // spans members
    assert.equal(await countRows([path]), FIXTURE_ROWS.tinystories_chinese);

    const enc = (text: string) => encoder.encode(text);
    const members = [
      { name: "data01_zh.jsonl", body: enc('{"n":1}\n\n{"n":2}\n') },
      { name: "README.md", body: enc("not rows\n") },
      { name: "data00_zh.jsonl", body: enc('{"n":3}\n{oops\n') },
      { name: "extra.json", body: enc('{"n":4}') },
    ];
    const tar = await packTar(members.map(({ name, body }) => ({
      header: { name, size: body.length, type: "file" as const },
      body,
    })));
    const gz = new Uint8Array(
      await new Response(
        new Blob([tar]).stream().pipeThrough(new CompressionStream("gzip")),
      ).arrayBuffer(),
    );
    const custom = join(dir, "custom.tgz");
    await Deno.writeFile(custom, gz);
    assert.deepEqual(await collect([custom]), [
      { index: 0, row: { n: 1 } },
      { index: 1, row: { n: 2 } },
      { index: 2, row: { n: 3 } },
      { index: 3, error: "line 2 of data00_zh.jsonl in custom.tgz: invalid JSON" },
      { index: 4, row: { n: 4 } },
    ]);
    assert.equal(await countRows([custom]), 5);

    // A truncated archive: one error that names the file (and what to do).
    const cut = join(dir, "cut.tar.gz");
    await Deno.writeFile(cut, gz.subarray(0, gz.length - 20));
    await assert.rejects(
      collect([cut]),
      (error: Error) => {
        assert.match(error.message, /cut\.tar\.gz: truncated or corrupt \.tar\.gz archive/);
        assert.equal(error.message.split("\n").length, 1);
        return true;
      },
    );
    await assert.rejects(countRows([cut]), /cut\.tar\.gz: truncated or corrupt/);
  });
});

Deno.test("mixed formats form one sequence; stopping early closes every file", async () => {
  await withTempDir(async (dir) => {
    const gsm = (await writeHubLayout("gsm8k", join(dir, "g"), { rows: 10 })).map((r) =>
      join(dir, "g", r)
    );
    const zh = (await writeHubLayout("tinystories_chinese", join(dir, "z"), { rows: 6 })).map((
      r,
    ) => join(dir, "z", r));
    const belle = (await writeHubLayout("belle_school_math", join(dir, "b"), { rows: 5 })).map((
      r,
    ) => join(dir, "b", r));
    const files = [...gsm, ...zh, ...belle];
    assert.equal(await countRows(files), 21);
    const all = await collect(files);
    assert.deepEqual(all.map((item) => item.index), Array.from({ length: 21 }, (_, i) => i));
    assert.deepEqual(await collect(files, 8, 10), all.slice(8, 18));
    // Break out of each format mid-file: the test's resource sanitizer proves nothing leaks.
    for (const start of [0, 12, 17]) {
      for await (const item of readRows(files, { start })) {
        assert.equal(item.index, start);
        break;
      }
    }
  });
});

Deno.test("unknown file types are a one-line error", async () => {
  await assert.rejects(() => collect(["/tmp/x.csv"]), /unsupported file type: x\.csv/);
});

Deno.test("parquet: a row group over 16 MiB is decoded in slices with the same rows", async () => {
  await withTempDir(async (dir) => {
    const { parquetWriteBuffer } = await import("hyparquet-writer");
    // Incompressible text so the single row group is really bigger than the slicing threshold.
    const random = new Uint8Array(30_000 * 600);
    for (let i = 0; i < random.length; i += 65536) {
      crypto.getRandomValues(random.subarray(i, Math.min(i + 65536, random.length)));
    }
    const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .";
    const texts = Array.from({ length: 30_000 }, (_, row) => {
      let text = `${row}:`;
      for (let i = 0; i < 600; i++) text += alphabet[random[row * 600 + i] & 63];
      return text;
    });
    const path = join(dir, "big.parquet");
    await Deno.writeFile(
      path,
      new Uint8Array(parquetWriteBuffer({
        columnData: [{ name: "text", data: texts, type: "STRING" }],
        rowGroupSize: 30_000,
      })),
    );
    const metadata = parquetMetadata((await Deno.readFile(path)).buffer);
    assert.equal(metadata.row_groups.length, 1);
    assert.ok(
      Number(metadata.row_groups[0].columns[0].meta_data!.total_compressed_size) > 16 << 20,
    );
    const items = await collect([path], 1000, 5000);
    assert.deepEqual(
      rowsOf(items).map((row) => (row as { text: string }).text),
      texts.slice(1000, 6000),
    );
    assert.equal(items.at(-1)!.index, 5999);
  });
});

Deno.test("a line or JSON array element over maxRecordBytes is one 'too long' item, counted in place", async () => {
  await withTempDir(async (dir) => {
    const long = "x".repeat(5000);
    const rows = [{ a: 1 }, { a: long }, { a: 3 }];
    const jsonl = join(dir, "rows.jsonl");
    await Deno.writeTextFile(jsonl, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
    const array = join(dir, "rows.json");
    await Deno.writeTextFile(array, JSON.stringify(rows));
    for (const file of [jsonl, array]) {
      const items: RowItem[] = [];
      for await (const item of readRows([file], { maxRecordBytes: 1000 })) items.push(item);
      assert.deepEqual(items[0], { index: 0, row: { a: 1 } }, file);
      assert.ok("error" in items[1] && items[1].tooLong, file);
      assert.match((items[1] as { error: string }).error, /over 1000 bytes/);
      assert.deepEqual(items[2], { index: 2, row: { a: 3 } }, file);
      assert.equal(items.length, 3);
    }
  });
});
