/**
 * IPA phonemes from libespeak-ng's `espeak_TextToPhonemes`, grouped into sentences exactly the way
 * Piper's phonemizer (piper-phonemize) does it: clause by clause, the clause's terminating
 * punctuation kept as a phoneme (`, : ;` followed by a space), `(lang)` switch flags dropped,
 * every phoneme string NFD-decomposed into codepoints, a new sentence after `. ? !`.
 *
 * The library is called through Deno FFI, not the `espeak-ng` binary: the binary prints one line
 * per clause but not the clause's punctuation, which Piper voices were trained with.
 *
 * Voice `cmn` on espeak-ng before 1.52 ("Mandarin, latin as English") turns most characters into
 * pinyin and reads that as English ("你好" → "(en)nɪ5θɹˈiː5 hˌeɪ5ə5θɹˈiː5"); its sibling
 * `cmn-latn-pinyin` reads the same pinyin as Mandarin, as 1.52's `cmn` (Piper's) does.
 */
import { firstLine } from "../../errors/mod.ts";

/** The shared library of the espeak-ng package (Debian/Ubuntu: libespeak-ng1). */
const LIBRARY_NAMES = ["libespeak-ng.so.1", "libespeak-ng.so", "libespeak-ng.dylib"];
/** `AUDIO_OUTPUT_SYNCHRONOUS`: no audio device, no background thread. */
const AUDIO_OUTPUT_SYNCHRONOUS = 2;
/** `espeakINITIALIZE_DONT_EXIT`: return an error instead of exiting when data is missing. */
const INITIALIZE_DONT_EXIT = 0x8000;
/** `espeakCHARS_AUTO` text, IPA phoneme output (bit 1), as Piper asks for. */
const CHARS_AUTO = 0;
const PHONEMES_IPA = 0x02;

const SYMBOLS = {
  espeak_Initialize: { parameters: ["i32", "i32", "pointer", "i32"], result: "i32" },
  espeak_SetVoiceByName: { parameters: ["buffer"], result: "i32" },
  espeak_TextToPhonemes: { parameters: ["buffer", "i32", "i32"], result: "pointer" },
  espeak_Info: { parameters: ["pointer"], result: "pointer" },
} as const;

type EspeakLibrary = Deno.DynamicLibrary<typeof SYMBOLS>;

let library: EspeakLibrary | undefined;
let currentVoice: string | undefined;

/** Open and initialise libespeak-ng once per thread; a one-line error says what to install. */
function openLibrary(): EspeakLibrary {
  if (library) return library;
  const errors: string[] = [];
  for (const name of LIBRARY_NAMES) {
    try {
      const opened = Deno.dlopen(name, SYMBOLS);
      const rate = opened.symbols.espeak_Initialize(
        AUDIO_OUTPUT_SYNCHRONOUS,
        0,
        null,
        INITIALIZE_DONT_EXIT,
      );
      if (rate <= 0) {
        opened.close();
        throw new Error("espeak_Initialize failed (espeak-ng-data missing?)");
      }
      library = opened;
      return opened;
    } catch (error) {
      errors.push(firstLine(error));
    }
  }
  throw new Error(
    `cannot load libespeak-ng for Piper phonemes (apt-get install espeak-ng): ${errors[0]}`,
  );
}

const encoder = new TextEncoder();

function cString(text: string): Uint8Array<ArrayBuffer> {
  const bytes = encoder.encode(text);
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  return out;
}

/** The voice to load for Piper's `voice`: Mandarin through pinyin on espeak-ng before 1.52. */
function libraryVoice(lib: EspeakLibrary, voice: string): string {
  if (voice !== "cmn") return voice;
  const info = lib.symbols.espeak_Info(null);
  const [major, minor] = (info ? Deno.UnsafePointerView.getCString(info) : "").split(".").map(
    Number,
  );
  return major === 1 && minor < 52 ? "cmn-latn-pinyin" : voice;
}

/** Piper's punctuation phonemes for a clause terminator byte, and whether it ends a sentence. */
const TERMINATORS: Record<string, { phonemes: string[]; endsSentence: boolean }> = {
  ".": { phonemes: ["."], endsSentence: true },
  "?": { phonemes: ["?"], endsSentence: true },
  "!": { phonemes: ["!"], endsSentence: true },
  ",": { phonemes: [",", " "], endsSentence: false },
  ":": { phonemes: [":", " "], endsSentence: false },
  ";": { phonemes: [";", " "], endsSentence: false },
};

/** Drop `(en)`-style language switch flags, character by character as Piper does. */
function dropLanguageFlags(phonemes: string[]): string[] {
  const kept: string[] = [];
  let inFlag = false;
  for (const phoneme of phonemes) {
    if (inFlag) {
      if (phoneme === ")") inFlag = false;
    } else if (phoneme === "(") {
      inFlag = true;
    } else {
      kept.push(phoneme);
    }
  }
  return kept;
}

/**
 * Phonemes of `text` spoken by espeak-ng voice `voice` (e.g. `en-us`, `cmn`), one array of
 * codepoints per sentence that espeak finds.
 *
 * @example
 * ```ts
 * espeakPhonemes("Test 1. Test 2.", "en-us");
 * // [["t","ˈ","ɛ","s","t"," ","w","ˈ","ʌ","n","."], ["t","ˈ","ɛ","s","t"," ","t","ˈ","u","ː","."]]
 * ```
 */
export function espeakPhonemes(text: string, voice: string): string[][] {
  const lib = openLibrary();
  if (voice !== currentVoice) {
    if (lib.symbols.espeak_SetVoiceByName(cString(libraryVoice(lib, voice))) !== 0) {
      throw new Error(`espeak-ng has no voice '${voice}' (see: espeak-ng --voices)`);
    }
    currentVoice = voice;
  }
  const textBytes = cString(text);
  const base = Deno.UnsafePointer.value(Deno.UnsafePointer.of(textBytes));
  // `const void **textptr`: espeak moves it past each clause and sets it to NULL at the end.
  const cursor = new BigUint64Array([BigInt(base)]);
  const sentences: string[][] = [];
  let sentence: string[] | undefined;
  // `textBytes` stays referenced in the loop, so espeak never reads a collected buffer.
  while (cursor[0] !== 0n) {
    const result = lib.symbols.espeak_TextToPhonemes(cursor, CHARS_AUTO, PHONEMES_IPA);
    const clause = result ? Deno.UnsafePointerView.getCString(result) : "";
    // Piper reads the terminator from the text: the last non-space byte before the byte that
    // precedes where espeak stopped (or the text's last byte at the end).
    const stop = cursor[0] === 0n ? textBytes.length : Number(cursor[0] - BigInt(base));
    let terminator = "";
    for (let at = stop - 2; at > 0; at--) {
      if (textBytes[at] !== 0x20) {
        terminator = String.fromCharCode(textBytes[at]);
        break;
      }
    }
    if (!sentence) {
      sentence = [];
      sentences.push(sentence);
    }
    sentence.push(...dropLanguageFlags([...clause.normalize("NFD")]));
    const rule = TERMINATORS[terminator];
    if (rule) {
      sentence.push(...rule.phonemes);
      if (rule.endsSentence) sentence = undefined;
    }
  }
  return sentences;
}
