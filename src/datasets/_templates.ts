/** The manifest templates a declaration gets when it does not spell its own out. */
import type { DatasetKind, Language, PromptTemplates } from "./_types.ts";

/** The placeholders a manifest template may hold (the pipeline's `fillTemplate` fills them). */
export const TEMPLATE_PLACEHOLDERS: readonly string[] = [
  "prompt",
  "response",
  "spoken",
  "seconds",
  "font_style",
  "text_color",
  "background_color",
];

/** The first `{name}` of `template` that is no placeholder (a typo like `{promt}`), or null. */
export function unknownPlaceholder(template: string): string | null {
  for (const match of template.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
    if (!TEMPLATE_PLACEHOLDERS.includes(match[1])) return match[0];
  }
  return null;
}

/** Matches a template with no unknown `{name}` (for `videoword.jsonc`'s schema). */
export const KNOWN_PLACEHOLDERS_ONLY: RegExp = new RegExp(
  String.raw`^(?![\s\S]*\{(?!(?:${TEMPLATE_PLACEHOLDERS.join("|")})\})[A-Za-z_][A-Za-z0-9_]*\})`,
);

/**
 * Default templates by language and kind (the seed's texts for its datasets). The English silent
 * ones name the colours the video shows (`white`/`black` in the seed's look, #19).
 */
export const DEFAULT_TEMPLATES: Readonly<Record<Language, Record<DatasetKind, PromptTemplates>>> = {
  en: {
    math: {
      inference:
        'An educational video on {background_color} background. Prompt in {text_color}: "{prompt}". Response appears gradually in {text_color}, word by word over {seconds} seconds.',
      rendering:
        'An educational video on {background_color} background. Question: "{prompt}" Answer: "{response}"',
      audioInference: 'Math problem: "{prompt}"',
      audioRendering: 'Math problem with solution: "Question: {prompt}\nAnswer: {spoken}"',
    },
    story: {
      inference:
        'A story video on {background_color} background. Story beginning in {text_color}: "{prompt}". Story continuation appears gradually in {text_color}, word by word over {seconds} seconds.',
      rendering:
        'A story video on {background_color} background. Story beginning: "{prompt}" Story continuation: "{response}"',
      audioInference:
        'Story context: "{prompt}" The video shows the story continuation with synchronized subtitles.',
      audioRendering: 'Story with subtitles: "{prompt} {spoken}"',
    },
  },
  zh: {
    // The narrated texts are the seed's, shared with the Chinese stories.
    math: {
      inference: "中文数学题视频。问题：{prompt}",
      rendering: "中文数学题视频。问题：{prompt} 答案：{response}",
      audioInference: '故事上文："{prompt}" 视频显示故事续写的同步字幕。',
      audioRendering: '故事带字幕："{prompt} {spoken}"',
    },
    story: {
      inference: "中文故事视频。故事开头：{prompt}",
      rendering: "中文故事视频。故事开头：{prompt} 故事续写：{response}",
      audioInference: '故事上文："{prompt}" 视频显示故事续写的同步字幕。',
      audioRendering: '故事带字幕："{prompt} {spoken}"',
    },
  },
};
