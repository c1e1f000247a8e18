/**
 * The named cleaning rules a declaration's `clean` list references. Each rewrites one kind of
 * text (a math prompt or answer, or a story) after the shared normalisation and before lines are
 * tidied; they run in the order listed.
 */
import { pairChineseQuotes } from "../text/mod.ts";
import type { DatasetKind, Language } from "./_types.ts";

/** The texts a rule can rewrite: a math row's prompt or answer, or a story's whole text. */
export type TextPart = "prompt" | "answer" | "story";

/** A named cleaning rule. */
export interface CleanRule {
  /** What it does, for `README` and error messages. */
  description: string;
  /** The texts it rewrites. */
  parts: readonly TextPart[];
  /** The answer field may hold a number (read as its digits) instead of text. */
  numericAnswer?: boolean;
  apply(text: string, language: Language): string;
}

/** `#### 72` → `So the answer is: 72.` (no doubled period). */
function finalAnswerLine(line: string): string {
  const match = /^####\s*(.*)$/.exec(line);
  if (!match) return line;
  const answer = match[1].trim();
  if (!answer) return "";
  return `So the answer is: ${answer}${/[.!?]$/.test(answer) ? "" : "."}`;
}

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

/** Every rule by name. */
export const CLEAN_RULES: Readonly<Record<string, CleanRule>> = {
  gsm8k_calculator: {
    description: "drop GSM8K's `<<48/2=24>>` calculator annotations",
    parts: ["answer"],
    apply: (text) => text.replace(/<<[^<>]*>>/g, ""),
  },
  gsm8k_final_answer: {
    description: "spell out GSM8K's `#### 72` final line as `So the answer is: 72.`",
    parts: ["answer"],
    apply: (text) => text.split("\n").map((line) => finalAnswerLine(line.trim())).join("\n"),
  },
  unwrap_boxed: {
    description: "replace LaTeX `\\boxed{x}` by `x` (nested braces matched)",
    parts: ["answer"],
    apply: unwrapBoxed,
  },
  number_answer: {
    description: "the answer field may be a bare number (e.g. `72`, a final-answer column): it " +
      "is read as its digits and shown as `The answer is: 72.` / `答案是：72。`",
    parts: ["answer"],
    numericAnswer: true,
    apply: (text, language) =>
      language === "zh"
        ? `答案是：${text}${/[。！？.!?]$/.test(text) ? "" : "。"}`
        : `The answer is: ${text}${/[.!?]$/.test(text) ? "" : "."}`,
  },
  chinese_quotes: {
    description: 'pair straight `"` quotes in Chinese text into “ ” (before sentences are split)',
    parts: ["prompt", "answer", "story"],
    apply: pairChineseQuotes,
  },
};

/** The names of every rule, in the order `CLEAN_RULES` lists them. */
export const CLEAN_RULE_NAMES: readonly string[] = Object.keys(CLEAN_RULES);

/** The texts of a `kind` dataset a rule may apply to. */
export function partsOf(kind: DatasetKind): TextPart[] {
  return kind === "math" ? ["prompt", "answer"] : ["story"];
}

/** Which text and in which language {@linkcode applyRules} rewrites. */
export interface ApplyOptions {
  part: TextPart;
  language: Language;
}

/** Apply the `rules` that rewrite `options.part`, in order. */
export function applyRules(
  text: string,
  rules: readonly CleanRule[],
  options: ApplyOptions,
): string {
  let out = text;
  for (const rule of rules) {
    if (rule.parts.includes(options.part)) out = rule.apply(out, options.language);
  }
  return out;
}
