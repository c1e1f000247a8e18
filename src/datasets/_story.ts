/** The shared cleaning of the two story datasets: opening = first two sentences, the rest follows. */
import { pairChineseQuotes, splitSentences } from "../text/mod.ts";
import { finish, normalizeText, stringField } from "./_clean.ts";
import type { CleanResult, Language } from "./_types.ts";

/** Sentences shown as the story's opening (the prompt). */
export const OPENING_SENTENCES = 2;

/** Where a story row keeps its text and which language it is in. */
export interface StoryOptions {
  field: string;
  language: Language;
}

/** Clean one story row: `options.field` holds the story text in `options.language`. */
export function cleanStory(row: unknown, options: StoryOptions): CleanResult {
  const { field, language } = options;
  const text = stringField(row, field);
  if (!text.ok) return text;
  let story = normalizeText(text.value);
  // Straight quotes in Chinese text become paired curly ones before sentence splitting.
  if (language === "zh") story = pairChineseQuotes(story);
  const sentences = splitSentences(story, language).map((sentence) =>
    sentence.replace(/ {2,}/g, " ")
  );
  if (sentences.length === 0) return { ok: false, reason: "empty prompt" };
  if (sentences.length <= OPENING_SENTENCES) {
    return { ok: false, reason: `too short: ${sentences.length} sentences` };
  }
  const glue = language === "en" ? " " : "";
  const prompt = sentences.slice(0, OPENING_SENTENCES).join(glue);
  const response = sentences.slice(OPENING_SENTENCES).join(glue);
  return finish(prompt, response, { prompt: 4, response: 2 });
}
