import type { RevealPlan } from "../layout/mod.ts";
import type { NarratedPicture, PaintLook, PaintSettings } from "../paint/mod.ts";
import type { EncoderSettings } from "../encode/mod.ts";

/** What painting and encoding a silent video needs besides its plan (plain data). */
export interface SilentVideoOptions {
  fps: number;
  paint: PaintSettings;
  /** A varied sample's font and background (`--style varied`); none: the seed's look. */
  look?: PaintLook;
  encode: EncoderSettings;
  /** Embedded in the MP4 (see `videoFingerprint`). */
  fingerprint?: string;
}

/** What a narrated renderer's `plan` hands to `render`. */
export interface NarratedState {
  picture: NarratedPicture;
  audioPath: string;
}

/** What painting and encoding a narrated video needs besides its state (plain data). */
export interface NarratedVideoOptions {
  fps: number;
  encode: EncoderSettings;
  /** Embedded in the MP4 (see `videoFingerprint`). */
  fingerprint?: string;
}

/** Painting and encoding one video, as plain data that can be posted to a worker thread. */
export type RenderJob =
  | { kind: "silent"; plan: RevealPlan; options: SilentVideoOptions }
  | { kind: "narrated"; state: NarratedState; options: NarratedVideoOptions };
