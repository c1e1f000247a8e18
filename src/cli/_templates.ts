import type { DatasetSpec } from "../datasets/mod.ts";
import type { VideowordConfig } from "../config/mod.ts";
import type { ManifestMode, VideoKind } from "../pipeline/mod.ts";

/** The manifest templates of `spec`, with `videoword.jsonc`'s `templates` overrides applied. */
export function templatesFor(
  spec: DatasetSpec,
  config: VideowordConfig,
  kind: VideoKind,
): Record<ManifestMode, string> {
  const override = config.templates[spec.key] ?? {};
  if (kind === "narrated") {
    return {
      inference: override.audio_inference ?? spec.templates.audioInference,
      rendering: override.audio_rendering ?? spec.templates.audioRendering,
    };
  }
  return {
    inference: override.inference ?? spec.templates.inference,
    rendering: override.rendering ?? spec.templates.rendering,
  };
}
