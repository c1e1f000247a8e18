/** BelleGroup/school_math_0.25M: Chinese school math problems with worked answers (JSON Lines). */
import { finish, normalizeText, stringField, tidyLines } from "./_clean.ts";
import type { CleanResult, DatasetSpec } from "./_types.ts";

function clean(row: unknown): CleanResult {
  const instruction = stringField(row, "instruction");
  if (!instruction.ok) return instruction;
  const output = stringField(row, "output");
  if (!output.ok) return output;
  // `input` is empty in every row seen; when present it belongs to the question.
  const input = stringField(row, "input");
  const parts = [instruction.value, input.ok ? input.value : ""].map((part) =>
    tidyLines(normalizeText(part))
  );
  const question = parts.filter((part) => part.length > 0).join("\n");
  return finish(question, tidyLines(normalizeText(output.value)), { prompt: 4, response: 1 });
}

/** The `belle_school_math` dataset. */
export const belleSchoolMath: DatasetSpec = {
  key: "belle_school_math",
  repo: "BelleGroup/school_math_0.25M",
  language: "zh",
  kind: "math",
  approxSize: "248k rows, 132 MB",
  files: ["school_math_0.25M.json"],
  clean,
  templates: {
    inference: "中文数学题视频。问题：{prompt}",
    rendering: "中文数学题视频。问题：{prompt} 答案：{response}",
    audioInference: '故事上文："{prompt}" 视频显示故事续写的同步字幕。',
    audioRendering: '故事带字幕："{prompt} {spoken}"',
  },
};
