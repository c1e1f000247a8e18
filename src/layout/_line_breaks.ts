/**
 * Where a line may end: the break opportunities of UAX #14 (the Unicode line-breaking algorithm,
 * npm `linebreak`, Unicode 13 data), and an audit of wrapped lines against them.
 */
// @ts-types="./_linebreak.d.ts"
import LineBreaker from "linebreak";
import type { TextMeasure } from "./_measure.ts";

/**
 * UTF-16 positions in `text` where UAX #14 lets a new line start, strictly inside the text
 * (after any spaces: `"a b"` gives `[2]`).
 */
export function lineBreakOpportunities(text: string): number[] {
  const breaker = new LineBreaker(text);
  const positions: number[] = [];
  for (let bk = breaker.nextBreak(); bk; bk = breaker.nextBreak()) {
    if (bk.position > 0 && bk.position < text.length) positions.push(bk.position);
  }
  return positions;
}

/** A line break UAX #14 forbids, with the text on either side. */
export interface LineBreakViolation {
  /** The sentence, and the UTF-16 position in it where the next line starts. */
  sentence: string;
  at: number;
  /** `forbidden`: no UAX #14 opportunity there; `grapheme`: inside a grapheme cluster;
   * `sentence`: a line holds the end of one sentence and the start of the next. */
  kind: "forbidden" | "grapheme" | "sentence";
}

/** What `auditLineBreaks` found. */
export interface LineBreakAudit {
  /** Line ends that are not sentence ends. */
  breaks: number;
  /** Breaks without a UAX #14 opportunity, inside a run with none that is wider than a line. */
  overWide: number;
  violations: LineBreakViolation[];
}

/** Geometry the audit measures over-wide runs with. */
export interface AuditOptions {
  maxWidth: number;
  fontSize: number;
  measure: TextMeasure;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** Positions of the non-space characters of `text`, in order. */
function inkPositions(text: string): number[] {
  const positions: number[] = [];
  for (let i = 0; i < text.length; i++) if (!/\s/u.test(text[i])) positions.push(i);
  return positions;
}

/**
 * Check wrapped lines against UAX #14. `lines` are the displayed lines of `sentences`, in order
 * (white space is ignored when matching them up, so painter spacing does not matter, and audited
 * as the plain single space it is drawn as); lines may
 * stop before the last sentence (a cut story). A break is allowed at a sentence end, at a UAX #14
 * opportunity, or at a grapheme boundary inside an opportunity-less run wider than `maxWidth`.
 *
 * @example
 * ```ts
 * import { auditLineBreaks, monospaceMeasure } from "./mod.ts";
 * const audit = auditLineBreaks(["buy 16 / 2 = 8"], ["buy 16", "/ 2 = 8"], {
 *   maxWidth: 610, fontSize: 28, measure: monospaceMeasure,
 * });
 * audit.violations.length; // 1: UAX #14 forbids a break before "/"
 * ```
 */
export function auditLineBreaks(
  sentences: readonly string[],
  lines: readonly string[],
  options: AuditOptions,
): LineBreakAudit {
  const audit: LineBreakAudit = { breaks: 0, overWide: 0, violations: [] };
  // Audited as displayed: every white-space run (a no-break space too) is drawn as one space.
  const texts = sentences.map((s) => s.replace(/\s+/gu, " ").trim()).filter((s) => s.length > 0);
  const opportunities = new Map<string, number[]>();
  let sentence = 0;
  let consumed = 0; // non-space characters of texts[sentence] already on earlier lines
  for (const line of lines) {
    let ink = line.replace(/\s+/gu, "");
    while (ink.length > 0) {
      const text = texts[sentence];
      if (text === undefined) throw new Error(`line beyond the last sentence: ${line}`);
      const positions = inkPositions(text);
      const compact = text.replace(/\s+/gu, "");
      const take = Math.min(ink.length, compact.length - consumed);
      if (compact.slice(consumed, consumed + take) !== ink.slice(0, take)) {
        throw new Error(`line does not match its sentence: ${line} / ${text}`);
      }
      consumed += take;
      ink = ink.slice(take);
      if (consumed === compact.length) {
        sentence++;
        consumed = 0;
        if (ink.length > 0) {
          audit.violations.push({ sentence: text, at: text.length, kind: "sentence" });
        }
        continue;
      }
      // The line ends inside the sentence: the next line starts at ink character `consumed`.
      audit.breaks++;
      let cuts = opportunities.get(text);
      if (!cuts) opportunities.set(text, cuts = lineBreakOpportunities(text));
      checkBreak(text, positions[consumed], cuts, options, audit);
    }
  }
  return audit;
}

function checkBreak(
  text: string,
  at: number,
  opportunities: readonly number[],
  options: AuditOptions,
  audit: LineBreakAudit,
): void {
  const cut = graphemes.segment(text).containing(at);
  if (cut && cut.index !== at) {
    audit.violations.push({ sentence: text, at, kind: "grapheme" });
    return;
  }
  if (opportunities.includes(at)) return;
  const from = opportunities.findLast((p) => p < at) ?? 0;
  const to = opportunities.find((p) => p > at) ?? text.length;
  const run = text.slice(from, to).trim();
  if (options.measure(run, options.fontSize) > options.maxWidth) audit.overWide++;
  else audit.violations.push({ sentence: text, at, kind: "forbidden" });
}
