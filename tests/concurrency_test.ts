import assert from "node:assert/strict";
import { mapLimit } from "../src/concurrency/mod.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("mapLimit keeps input order and never runs more than the limit", async () => {
  let running = 0;
  let peak = 0;
  const out = await mapLimit([5, 1, 4, 2, 3, 0], 2, async (n, i) => {
    running++;
    peak = Math.max(peak, running);
    await sleep(n * 3);
    running--;
    return `${i}:${n}`;
  });
  assert.deepEqual(out, ["0:5", "1:1", "2:4", "3:2", "4:3", "5:0"]);
  assert.equal(peak, 2);
  assert.deepEqual(await mapLimit([], 4, () => Promise.resolve(1)), []);
});

Deno.test("mapLimit starts nothing new after a failure and waits for what is in flight", async () => {
  const started: number[] = [];
  let finished = 0;
  await assert.rejects(
    mapLimit([0, 1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      await sleep(n === 0 ? 1 : 15);
      finished++;
      if (n === 0) throw new Error("boom");
    }),
    /boom/,
  );
  assert.deepEqual(started, [0, 1]);
  assert.equal(finished, 2); // item 1 was allowed to finish before the rejection surfaced
});
