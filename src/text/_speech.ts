/** Language of the text to speak. */
export type SpeechLanguage = "en" | "zh";

/** A number as written in the data: 48, 1,000, 3.5, .5 */
const NUMBER = String.raw`(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+`;
/** A number or a closing bracket: what an operator's left side may be. */
const LEFT = String.raw`(?:${NUMBER}|[)\]])`;
/** A number, an opening bracket or a currency sign: what an operator's right side may be. */
const RIGHT = String.raw`(?:\$?(?:${NUMBER})|[(\[])`;

interface Words {
  divided: string;
  over: string;
  equals: string;
  plus: string;
  minus: string;
  times: string;
  power: string;
  lessEq: string;
  greaterEq: string;
  less: string;
  greater: string;
  approx: string;
  notEqual: string;
  sqrt: string;
  negative: string;
}

const WORDS: Record<SpeechLanguage, Words> = {
  en: {
    divided: " divided by ",
    over: " over ",
    equals: " equals ",
    plus: " plus ",
    minus: " minus ",
    times: " times ",
    power: " to the power of ",
    lessEq: " is at most ",
    greaterEq: " is at least ",
    less: " is less than ",
    greater: " is greater than ",
    approx: " is about ",
    notEqual: " is not equal to ",
    sqrt: "the square root of ",
    negative: "minus ",
  },
  zh: {
    divided: "除以",
    over: "分之",
    equals: "等于",
    plus: "加",
    minus: "减",
    times: "乘",
    power: "的乘方",
    lessEq: "小于等于",
    greaterEq: "大于等于",
    less: "小于",
    greater: "大于",
    approx: "约等于",
    notEqual: "不等于",
    sqrt: "根号",
    negative: "负",
  },
};

/** Replace `op` between a number-ish left and right side, repeatedly (chains like 1+2+3). */
function between(text: string, op: string, word: string): string {
  const pattern = new RegExp(`(${LEFT})\\s*(?:${op})\\s*(?=${RIGHT})`, "g");
  let previous: string;
  do {
    previous = text;
    text = text.replace(pattern, `$1${word}`);
  } while (text !== previous);
  return text;
}

/** Whether `text` has anything to say (a letter or a digit); the rest is never spoken. */
export function isSpeakable(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

/**
 * The text as it should be spoken: math symbols and signs read out, so "48/2 = 24" is said
 * "48 divided by 2 equals 24" (Chinese: "48除以2等于24"). Numbers stay digits (every engine
 * reads digits well); words and ordinary punctuation are left alone. Subtitles keep the
 * original text: only the TTS input goes through this.
 *
 * @example
 * ```ts
 * speechText("48/2 = 24", "en"); // "48 divided by 2 equals 24"
 * speechText("48/2=24", "zh"); // "48除以2等于24"
 * ```
 */
export function speechText(text: string, language: SpeechLanguage): string {
  const w = WORDS[language];
  let out = text.normalize("NFKC").replace(/[−–]/g, (c) => c === "−" ? "-" : c);
  // Money first, so "$5" stays a number for the operator rules: "5 dollars" / "5美元".
  out = out.replace(
    new RegExp(`\\$\\s?(${NUMBER})`, "g"),
    language === "zh" ? "$1美元" : "$1 dollars",
  );
  // Percent: "25%" → "25 percent" / "百分之25".
  out = out.replace(
    new RegExp(`(${NUMBER})\\s?%`, "g"),
    language === "zh" ? "百分之$1" : "$1 percent",
  );
  out = out.replace(new RegExp(`[√]\\s*(?=${RIGHT})`, "g"), w.sqrt);
  // A slash is a division in an equation; a lone fraction is read "3 over 4" (zh: 4分之3).
  const isEquation = /[=＝]/.test(out);
  if (isEquation) {
    out = between(out, "/|÷", w.divided);
  } else {
    out = between(out, "÷", w.divided);
    out = language === "zh"
      ? out.replace(new RegExp(`(${NUMBER})\\s*/\\s*(${NUMBER})`, "g"), `$2${w.over}$1`)
      : between(out, "/", w.over);
  }
  out = between(out, String.raw`\*|×|x(?=\s)|·`, w.times);
  out = between(out, String.raw`\+`, w.plus);
  out = between(out, String.raw`\^`, w.power);
  out = between(out, "<=|≤", w.lessEq);
  out = between(out, ">=|≥", w.greaterEq);
  out = between(out, "!=|≠", w.notEqual);
  out = between(out, "≈", w.approx);
  out = between(out, "<", w.less);
  out = between(out, ">", w.greater);
  // A hyphen is a minus in an equation or between spaced numbers; "2010-2012" stays a range.
  out = isEquation ? between(out, "-", w.minus) : between(out, String.raw`(?<=\s)-(?=\s)`, w.minus);
  if (isEquation) out = out.replace(/(^|[\s(=])-(?=\d)/g, `$1${w.negative}`);
  out = out.replace(/\s*(?:=|＝)\s*/g, w.equals);
  if (language === "zh") out = out.replace(/ +(?=\P{ASCII})|(?<=\P{ASCII}) +/gu, "");
  return out.replace(/[ \t]+/g, " ").trim();
}
