/**
 * The fingerprint of a video: a hash of everything that decides its pixels and its sound, computed
 * here and nowhere else. It is embedded in the MP4 (the `comment` metadata, see encode's
 * `mp4Fingerprint`) and written on every manifest line; resume keeps a video only when its
 * embedded fingerprint is the one the current row and options make, and verify and export refuse
 * a line whose video carries another.
 */
import { createHash } from "node:crypto";
import type { LayoutOptions, LayoutSettings } from "../layout/mod.ts";
import type { PaintSettings } from "../paint/mod.ts";
import type { EncoderSettings } from "../encode/mod.ts";
import type { VideoKind } from "../paths/mod.ts";

/**
 * The renderer's version. RULE: bump it in the same commit as any change that alters the
 * pixels or the sound of a video made from the same row and options (layout, painting, fonts,
 * subtitles, timing, the native encoder's bitstream, ffmpeg arguments, TTS post-processing),
 * i.e. whenever `VIDEOWORD_UPDATE_GOLDEN=1` rewrites golden fixtures on purpose. Resume then
 * re-renders the videos of earlier releases instead of keeping them beside new manifest lines.
 */
export const RENDERER_VERSION = 1;

/**
 * The `--style varied` look's own version, in varied fingerprints only. RULE: bump it when the
 * same varied row and options would give other pixels while the seed's look stays byte-identical
 * (e.g. 2: a render worker could draw another thread's font before one alias per font file), so
 * resume re-renders varied videos without touching seed ones.
 */
export const VARIED_LOOK_VERSION = 2;

/** The encoder choices that change a video's bytes (the binary's path does not). */
export type FingerprintEncoder =
  | { codec: "h264"; encoder: "native"; qp: number }
  | { codec: "h264"; encoder: "x264"; crf: number; preset: string }
  | { codec: "mpeg4"; crf: number };

/** The reveal layout of a silent video: its settings and the layout defaults it was planned with. */
export type FingerprintLayout =
  & LayoutSettings
  & Required<Pick<LayoutOptions, "minFontSize" | "separatorThickness" | "separatorGap">>;

/** How a narration is spoken. */
export interface FingerprintNarration {
  engine: string;
  voice: string;
  /** The rate asked for (the fitted speed follows from it and the text). */
  rate: number;
  maxDuration: number;
  frameStep: number;
  fixedDuration: { seconds: number; minSpeed: number; maxSpeed: number } | null;
  margin: number;
  fontSize: number;
  minFontSize: number;
}

/**
 * Everything that determines one video's pixels and sound, as plain data. A new setting that
 * changes output is one more field here (and in the renderer that fills it), e.g. `style`.
 */
export interface FingerprintInput {
  kind: VideoKind;
  /** The dataset's text kind and language (they steer layout, cutting and the voice). */
  textKind: "math" | "story";
  language: string;
  /** The row's text as the renderer receives it (after cleaning). */
  prompt: string;
  response: string;
  fps: number;
  width: number;
  height: number;
  /** Silent videos: the reveal layout. */
  layout: FingerprintLayout | null;
  /** Silent videos: colours. */
  paint: PaintSettings | null;
  /** Narrated videos: the voice and the prompt layout. */
  narration: FingerprintNarration | null;
  /**
   * `--style varied`: the sample's style record (font, sizes, colours, background). Absent for
   * the seed's look, whose fingerprints (and so MP4 bytes) are those of earlier releases.
   */
  style?: Record<string, unknown>;
  encode: FingerprintEncoder;
}

/** The fields of `settings` that change the encoded bytes. */
export function fingerprintEncoder(settings: EncoderSettings): FingerprintEncoder {
  if (settings.codec === "mpeg4") return { codec: "mpeg4", crf: settings.crf };
  return settings.encoder === "native"
    ? { codec: "h264", encoder: "native", qp: settings.qp }
    : { codec: "h264", encoder: "x264", crf: settings.crf, preset: settings.preset };
}

/** JSON with object keys sorted at every level (`undefined` fields dropped, as JSON does). */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * The fingerprint of the video `input` describes: sha256 of its canonical JSON together with
 * {@link RENDERER_VERSION}, as 32 hex characters (128 bits).
 */
export function videoFingerprint(input: FingerprintInput): string {
  const look = input.style === undefined ? {} : { varied_look: VARIED_LOOK_VERSION };
  const text = canonicalJson({ renderer: RENDERER_VERSION, ...look, ...input });
  return createHash("sha256").update(text).digest("hex").slice(0, 32);
}

/**
 * Why a whole video is not what its line says it shows (its embedded fingerprint is another,
 * e.g. two videos swapped on disk), or null. A line and a video that both lack one (an older
 * release) cannot be told apart and pass.
 */
export function fingerprintMismatch(
  line: Record<string, unknown>,
  embedded: string | null,
): string | null {
  const said = typeof line.fingerprint === "string" ? line.fingerprint : null;
  if (said === embedded) return null;
  if (embedded === null) return `the video has no fingerprint, the line says ${said}`;
  if (said === null) return `the line has no fingerprint, the video's is ${embedded}`;
  return `the video's fingerprint is ${embedded}, the line says ${said}: ` +
    `the video shows another row or other options`;
}
