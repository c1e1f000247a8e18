import assert from "node:assert/strict";
import { fileFontMeasure } from "../src/paint/mod.ts";

const LATO = "varied/lato-latin-400-normal.woff2";
const OSWALD = "varied/oswald-latin-400-normal.woff2";

/** A worker thread measuring text; `ask` waits for one answer. */
function measuringThread(): {
  ask: (file: string, text: string) => Promise<number>;
  stop: () => void;
} {
  const worker = new Worker(new URL("./helpers/font_measure_worker.ts", import.meta.url), {
    type: "module",
  });
  return {
    ask: (file, text) =>
      new Promise((resolve, reject) => {
        worker.onmessage = (event: MessageEvent<number>) => resolve(event.data);
        worker.onerror = (event) => reject(new Error(event.message));
        worker.postMessage({ file, text });
      }),
    stop: () => worker.terminate(),
  };
}

// Render workers are threads of one process and Skia's font registry is shared by them: each
// thread's fonts must stay its own however the threads interleave (a per-thread alias counter
// once made a Lato thread measure Oswald after an Oswald thread registered its first font).
Deno.test("fonts: two worker threads registering different fonts each measure their own", async () => {
  const a = measuringThread();
  const b = measuringThread();
  try {
    const texts = ["Hello world 123", "Natalia sold clips to 48 of her friends"];
    const lato = await a.ask(LATO, texts[0]);
    const oswald = await b.ask(OSWALD, texts[0]);
    assert.notEqual(lato, oswald, "Lato and Oswald set the same text at different widths");
    // Each thread again, after the other registered its font: the widths of a fresh measure here.
    for (const text of texts) {
      assert.equal(await a.ask(LATO, text), fileFontMeasure(LATO)(text, 30), `Lato: ${text}`);
      assert.equal(await b.ask(OSWALD, text), fileFontMeasure(OSWALD)(text, 30), `Oswald: ${text}`);
    }
  } finally {
    a.stop();
    b.stop();
  }
});
