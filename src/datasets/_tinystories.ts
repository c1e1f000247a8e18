/** roneneldan/TinyStories: short English stories; the opening two sentences prompt the rest. */
import { cleanStory } from "./_story.ts";
import type { DatasetSpec } from "./_types.ts";

/** The `tinystories` dataset. */
export const tinystories: DatasetSpec = {
  key: "tinystories",
  repo: "roneneldan/TinyStories",
  language: "en",
  kind: "story",
  approxSize: "2.1M rows, 1 GB",
  files: ["data/train-*.parquet"],
  clean: (row) => cleanStory(row, { field: "text", language: "en" }),
  templates: {
    inference:
      'A story video on white background. Story beginning in black: "{prompt}". Story continuation appears gradually in black, word by word over {seconds} seconds.',
    rendering:
      'A story video on white background. Story beginning: "{prompt}" Story continuation: "{response}"',
    audioInference:
      'Story context: "{prompt}" The video shows the story continuation with synchronized subtitles.',
    audioRendering: 'Story with subtitles: "{prompt} {spoken}"',
  },
};
