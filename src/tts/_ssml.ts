/** Options of `buildSsml`. */
export interface SsmlOptions {
  voice: string;
  /** xml:lang, e.g. `en-US`. */
  locale: string;
  /** Speed change in percent. */
  rate: number;
}

/** Escape text for an XML text node or a double/single-quoted attribute. */
export function escapeXml(text: string): string {
  return text
    // Control characters are not allowed in XML 1.0 at all.
    // deno-lint-ignore no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** `+10%`, `-20%`, `+0%`: SSML prosody rate from a percent number. */
export function prosodyRate(rate: number): string {
  const rounded = Math.round(rate);
  return `${rounded >= 0 ? "+" : ""}${rounded}%`;
}

/** A complete SSML document speaking `text` with one voice, as the Edge service expects. */
export function buildSsml(text: string, options: SsmlOptions): string {
  return `<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" ` +
    `xmlns:mstts="https://www.w3.org/2001/mstts" xml:lang="${escapeXml(options.locale)}">` +
    `<voice name="${escapeXml(options.voice)}">` +
    `<prosody pitch="+0Hz" rate="${prosodyRate(options.rate)}" volume="+0%">` +
    `${escapeXml(text)}</prosody></voice></speak>`;
}
