/** The story split shared by the story datasets: opening = first two sentences, the rest follows. */
import { splitSentences } from "../text/mod.ts";
import { finish } from "./_clean.ts";
import type { CleanResult, Language } from "./_types.ts";

/** Sentences shown as the story's opening (the prompt). */
export const OPENING_SENTENCES = 2;

/** Split a normalised story in `language` into its opening (prompt) and continuation. */
export function splitStory(story: string, language: Language): CleanResult {
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
