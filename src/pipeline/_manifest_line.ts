/** One manifest line as written (JSON Lines). Extra fields may follow for narrated videos. */
export interface ManifestLine {
  /** Absolute path of the MP4. */
  video_path: string;
  /** The training prompt made from the dataset's template. */
  prompt: string;
  dataset: string;
  /** Row index in the train split. */
  index: number;
  /** Prompt text as displayed. */
  prompt_text: string;
  /** Answer / continuation as displayed (rendering manifests and inference alike, for audits). */
  response_text: string;
  frames: number;
  fps: number;
  width: number;
  height: number;
  /** Seconds. */
  duration: number;
  /** What the video shows, hashed; the same value is embedded in the MP4. */
  fingerprint: string;
  [extra: string]: unknown;
}
