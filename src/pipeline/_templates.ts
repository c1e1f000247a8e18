/** Values substituted into a manifest prompt template. */
export interface TemplateValues {
  prompt: string;
  response?: string;
  spoken?: string;
  seconds?: number;
}

/** `10` for whole seconds, else one decimal (`12.5`). */
function formatSeconds(seconds: number): string {
  return Number.isInteger(seconds) ? String(seconds) : seconds.toFixed(1);
}

/**
 * Fill `{prompt}`, `{response}`, `{spoken}` and `{seconds}` in one pass, so text that itself
 * contains a placeholder-like `{response}` is never substituted twice.
 */
export function fillTemplate(template: string, values: TemplateValues): string {
  return template.replace(/\{(prompt|response|spoken|seconds)\}/g, (whole, key: string) => {
    switch (key) {
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
