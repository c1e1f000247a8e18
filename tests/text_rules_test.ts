/**
 * Text the frames cannot show exactly as the manifest states it is skipped with its reason:
 * characters neither font has, piles of combining marks, unpaired surrogates, invalid UTF-8
 * (also inside Parquet strings) and bidi controls.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parquetWriteBuffer } from "hyparquet-writer";
import { getDataset, readSamples } from "../src/datasets/mod.ts";
import { uncoveredCharacter } from "../src/paint/mod.ts";
import { withTempDir } from "./helpers/video.ts";

const gsm8k = getDataset("gsm8k");
const QUESTION = "How many apples are there in the basket?";

function reason(row: unknown): string {
  const result = gsm8k.clean(row);
  assert.ok(!result.ok, `expected a skip, got ${JSON.stringify(result)}`);
  return result.reason;
}

Deno.test("unpaired surrogates, U+FFFD, bidi controls and mark piles skip the row", () => {
  assert.equal(
    reason({ question: `${QUESTION} \uD83D`, answer: "#### 3" }),
    "unpaired surrogate: U+D83D",
  );
  assert.equal(
    reason({ question: QUESTION, answer: "It is \uDE00 3.\n#### 3" }),
    "unpaired surrogate: U+DE00",
  );
  assert.equal(
    reason({ question: `${QUESTION} caf\uFFFD`, answer: "#### 3" }),
    "invalid UTF-8: U+FFFD replacement character in the source text",
  );
  for (const bidi of ["\u202E", "\u202D", "\u2066", "\u200F", "\u061C"]) {
    const hex = bidi.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
    assert.equal(
      reason({ question: `${QUESTION} ${bidi}3 + 4`, answer: "#### 7" }),
      `bidi control character: U+${hex}`,
    );
  }
  const zalgo = "q\u0300\u0301\u0302\u0303\u0304";
  assert.equal(
    reason({ question: `${QUESTION} ${zalgo}`, answer: "#### 3" }),
    "too many combining marks: 5 on one character",
  );
  // Up to two marks on one base are fine (Vietnamese stacks two).
  const ok = gsm8k.clean({ question: `${QUESTION} Nguye\u0302\u0303n`, answer: "#### 3" });
  assert.ok(ok.ok, JSON.stringify(ok));
});

Deno.test("characters neither bundled font has are named; covered scripts pass", () => {
  for (const [text, code] of [["नमस्ते", "0928"], ["สวัสดี", "0E2A"], ["ሰላም", "1230"]]) {
    assert.match(
      uncoveredCharacter(`Hello ${text}`)!,
      new RegExp(`^no glyph in the video fonts: U\\+${code} `),
    );
  }
  assert.equal(uncoveredCharacter("Tom has 3 apples.\n汤姆有三个苹果。「好」 café ±√π"), undefined);
});

Deno.test("invalid UTF-8 inside a Parquet string is a skipped row, not U+FFFD text", async () => {
  await withTempDir(async (dir) => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    const bad = new Uint8Array([...bytes(`${QUESTION} caf`), 0xC3, 0x28, ...bytes(" now?")]);
    const path = join(dir, "train.parquet");
    const schema = [
      { name: "schema", num_children: 2 },
      { name: "question", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "REQUIRED" },
      { name: "answer", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "REQUIRED" },
    ] as const;
    await Deno.writeFile(
      path,
      new Uint8Array(parquetWriteBuffer({
        columnData: [
          { name: "question", data: [bytes(QUESTION), bad] },
          { name: "answer", data: [bytes("#### 3"), bytes("#### 4")] },
        ],
        // deno-lint-ignore no-explicit-any
        schema: schema as any,
      })),
    );
    const items = await Array.fromAsync(readSamples(gsm8k, [path]));
    assert.ok("sample" in items[0], JSON.stringify(items[0]));
    assert.deepEqual(items[1], {
      index: 1,
      skip: "invalid UTF-8: U+FFFD replacement character in the source text",
    });
  });
});
