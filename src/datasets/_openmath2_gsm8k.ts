/** ai2-adapt-dev/openmath-2-gsm8k: OpenMathInstruct-2's GSM8K-derived problems as chat messages. */
import { finish, normalizeText, notAnObject, tidyLines } from "./_clean.ts";
import { ENGLISH_MATH_MIN, ENGLISH_MATH_TEMPLATES } from "./_gsm8k.ts";
import type { CleanResult, DatasetSpec } from "./_types.ts";

/** Replace every `\boxed{...}` by its content, matching nested braces. */
export function unwrapBoxed(text: string): string {
  const marker = "\\boxed{";
  let out = "";
  let from = 0;
  while (true) {
    const at = text.indexOf(marker, from);
    if (at < 0) break;
    let depth = 1;
    let i = at + marker.length;
    for (; i < text.length && depth > 0; i++) {
      if (text[i] === "{") depth++;
      else if (text[i] === "}") depth--;
    }
    if (depth > 0) break; // unbalanced: leave the rest as it is
    // The content may itself hold `\boxed{}`: unwrap recursively.
    out += text.slice(from, at) + unwrapBoxed(text.slice(at + marker.length, i - 1));
    from = i;
  }
  return out + text.slice(from);
}

/** The content of the first message with `role`, or a skip reason. */
function messageContent(
  messages: unknown[],
  role: string,
): { ok: true; value: string } | { ok: false; reason: string } {
  const message = messages.find((m) =>
    m !== null && typeof m === "object" && (m as Record<string, unknown>).role === role
  ) as Record<string, unknown> | undefined;
  if (!message) return { ok: false, reason: `missing message '${role}'` };
  const content = message.content;
  if (content === undefined || content === null) {
    return { ok: false, reason: `missing field 'content': ${role} message` };
  }
  if (typeof content !== "string") {
    return { ok: false, reason: `wrong type 'content': ${typeof content}` };
  }
  return { ok: true, value: content };
}

function clean(row: unknown): CleanResult {
  const bad = notAnObject(row);
  if (bad) return { ok: false, reason: bad };
  const messages = (row as Record<string, unknown>).messages;
  if (messages === undefined || messages === null) {
    return { ok: false, reason: "missing field 'messages'" };
  }
  if (!Array.isArray(messages)) {
    return { ok: false, reason: `wrong type 'messages': ${typeof messages}` };
  }
  const question = messageContent(messages, "user");
  if (!question.ok) return question;
  const answer = messageContent(messages, "assistant");
  if (!answer.ok) return answer;
  return finish(
    tidyLines(normalizeText(question.value)),
    tidyLines(unwrapBoxed(normalizeText(answer.value))),
    ENGLISH_MATH_MIN,
  );
}

/** The `openmath2_gsm8k` dataset. */
export const openmath2Gsm8k: DatasetSpec = {
  key: "openmath2_gsm8k",
  repo: "ai2-adapt-dev/openmath-2-gsm8k",
  language: "en",
  kind: "math",
  approxSize: "2.57M rows, 1.5 GB",
  files: ["data/train-*.parquet"],
  clean,
  templates: ENGLISH_MATH_TEMPLATES,
};
