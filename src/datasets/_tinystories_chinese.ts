/** adam89/TinyStoriesChinese: TinyStories translated to Chinese, one JSON line per story. */
import { cleanStory } from "./_story.ts";
import type { DatasetSpec } from "./_types.ts";

/** The `tinystories_chinese` dataset (rows are lines of the tarball's `dataNN_zh.jsonl`). */
export const tinystoriesChinese: DatasetSpec = {
  key: "tinystories_chinese",
  repo: "adam89/TinyStoriesChinese",
  language: "zh",
  kind: "story",
  approxSize: "3.95M rows, 2.6 GB",
  files: ["TinyStories_all_data_zh.tar.gz"],
  clean: (row) => cleanStory(row, { field: "story_zh", language: "zh" }),
  templates: {
    inference: "中文故事视频。故事开头：{prompt}",
    rendering: "中文故事视频。故事开头：{prompt} 故事续写：{response}",
    audioInference: '故事上文："{prompt}" 视频显示故事续写的同步字幕。',
    audioRendering: '故事带字幕："{prompt} {spoken}"',
  },
};
