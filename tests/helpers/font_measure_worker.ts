/**
 * A worker thread that measures text in one font file, as a render worker does: the test asks it
 * for widths while another thread registers other fonts in the same process.
 */
import { fileFontMeasure } from "../../src/paint/mod.ts";

// A worker's global scope, typed as the render worker types it.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<{ file: string; text: string }>) => void) | null;
  postMessage(message: number): void;
};

scope.onmessage = (event) => {
  scope.postMessage(fileFontMeasure(event.data.file)(event.data.text, 30));
};
