/** openai/gsm8k (`main`): grade-school word problems with step-by-step answers. */
import { finish, normalizeText, stringField, tidyLines } from "./_clean.ts";
import type { CleanResult, DatasetSpec, PromptTemplates } from "./_types.ts";

/** Templates shared by the English math datasets. */
export const ENGLISH_MATH_TEMPLATES: PromptTemplates = {
  inference:
    'An educational video on white background. Prompt in black: "{prompt}". Response appears gradually in black, word by word over {seconds} seconds.',
  rendering: 'An educational video on white background. Question: "{prompt}" Answer: "{response}"',
  audioInference: 'Math problem: "{prompt}"',
  audioRendering: 'Math problem with solution: "Question: {prompt}\nAnswer: {spoken}"',
};

/** Minimum prompt/response lengths of the English math datasets. */
export const ENGLISH_MATH_MIN = { prompt: 10, response: 1 };

/** `#### 72` → `So the answer is: 72.` (no doubled period). */
function finalAnswerLine(line: string): string {
  const match = /^####\s*(.*)$/.exec(line);
  if (!match) return line;
  const answer = match[1].trim();
  if (!answer) return "";
  return `So the answer is: ${answer}${/[.!?]$/.test(answer) ? "" : "."}`;
}

/** Drop `<<48/2=24>>` calculator annotations and spell out the `####` final answer. */
export function cleanGsm8kAnswer(answer: string): string {
  const lines = normalizeText(answer)
    .replace(/<<[^<>]*>>/g, "")
    .split("\n")
    .map((line) => finalAnswerLine(line.trim()));
  return tidyLines(lines.join("\n"));
}

function clean(row: unknown): CleanResult {
  const question = stringField(row, "question");
  if (!question.ok) return question;
  const answer = stringField(row, "answer");
  if (!answer.ok) return answer;
  return finish(
    tidyLines(normalizeText(question.value)),
    cleanGsm8kAnswer(answer.value),
    ENGLISH_MATH_MIN,
  );
}

/** The `gsm8k` dataset. */
export const gsm8k: DatasetSpec = {
  key: "gsm8k",
  repo: "openai/gsm8k",
  language: "en",
  kind: "math",
  approxSize: "7.5k rows, 4 MB",
  files: ["main/train-*.parquet"],
  clean,
  templates: ENGLISH_MATH_TEMPLATES,
};
