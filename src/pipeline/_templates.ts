/** Values substituted into a manifest prompt template. */
export interface TemplateValues {
  prompt: string;
  response?: string;
  spoken?: string;
  seconds?: number;
  /** How the font looks ("serif", "handwritten"…). */
  font_style?: string;
  /** The text colour's palette name ("dark blue"). */
  text_color?: string;
  /** The background's palette name ("cream", "cream to pale blue", "cream paper-textured"). */
  background_color?: string;
}

/** `10` for whole seconds, else one decimal (`12.5`). */
function formatSeconds(seconds: number): string {
  return Number.isInteger(seconds) ? String(seconds) : seconds.toFixed(1);
}

/**
 * Fill `{prompt}`, `{response}`, `{spoken}`, `{seconds}`, `{font_style}`, `{text_color}` and
 * `{background_color}` in one pass, so text that itself contains a placeholder-like `{response}`
 * is never substituted twice.
 */
export function fillTemplate(template: string, values: TemplateValues): string {
  const pattern = /\{(prompt|response|spoken|seconds|font_style|text_color|background_color)\}/g;
  return template.replace(pattern, (whole, key: string) => {
    switch (key) {
      case "font_style":
      case "text_color":
      case "background_color":
        return values[key] ?? whole;
      case "prompt":
        return values.prompt;
      case "response":
        return values.response ?? whole;
      case "spoken":
        return values.spoken ?? whole;
      default:
        return values.seconds === undefined ? whole : formatSeconds(values.seconds);
    }
  });
}

/**
 * The narrated inference templates' rule for an empty prompt: drop the first part, up to and
 * including the closing quote after `{prompt}` and the space after it
 * (`Story context: "{prompt}" The video shows…` → `The video shows…`).
 */
export function dropEmptyPromptPart(template: string): string {
  const at = template.indexOf("{prompt}");
  if (at < 0) return template;
  const close = /^[^\s]*["”]\s*/.exec(template.slice(at + "{prompt}".length));
  return close ? template.slice(at + "{prompt}".length + close[0].length) : template;
}
