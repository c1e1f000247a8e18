/**
 * What a manifest line's video shows, re-planned from the line's text and settings with the same
 * pure plan `render` uses (the silent renderer's `plan`), as pages: each page's last full frame
 * and the lines on it.
 */
import { getDataset } from "../datasets/mod.ts";
import { planView } from "../layout/mod.ts";
import { fileFontMeasure, fontMeasure } from "../paint/mod.ts";
import { type ManifestLine, silentRenderer, type SilentState } from "../pipeline/mod.ts";
import { scaledLayout } from "../layout/mod.ts";

/** One page as the plan draws it. */
export interface ExpectedPage {
  /** The page's last frame: every unit of the page is shown. */
  frame: number;
  /** Prompt lines, then answer lines, top to bottom. */
  lines: string[];
}

/** What a line's video shows, or why it cannot be re-planned. */
export type Expected =
  | {
    language: "en" | "zh";
    kind: "math" | "story";
    frames: number;
    /** The frame height and font size the plan draws with (pixels). */
    height: number;
    fontSize: number;
    pages: ExpectedPage[];
  }
  | { problem: string };

const CJK = /[\u3400-\u9fff]/u;

function datasetTraits(line: ManifestLine): { language: "en" | "zh"; kind: "math" | "story" } {
  try {
    const spec = getDataset(line.dataset);
    return { language: spec.language, kind: spec.kind };
  } catch {
    // A dataset declared in a settings file this command does not read: judge by the text.
    return {
      language: CJK.test(line.prompt_text + line.response_text) ? "zh" : "en",
      kind: "truncated" in line ? "story" : "math",
    };
  }
}

/**
 * Re-plan `line`'s video. The line records the frame size, frame count, pace and font size but
 * not every layout setting, so the plan is tried with the settings `render` derives from them
 * (the scaled font, pitch and margin, then the line's font size, each with both long-prompt
 * policies); the first whose plan gives the line's own frames, pages, reveal end, font size and
 * text is the one the video was rendered with.
 */
export async function expectedPages(line: ManifestLine): Promise<Expected> {
  if (typeof line.prompt_text !== "string" || typeof line.response_text !== "string") {
    return { problem: "line has no prompt_text/response_text" };
  }
  if ("subtitles" in line || "audio_path" in line) {
    return { problem: "narrated videos are not scored yet (only silent ones)" };
  }
  const traits = datasetTraits(line);
  const spec = { ...getDatasetOrStub(line.dataset), ...traits };
  const scaled = scaledLayout(line.height);
  const fontSize = typeof line.font_size === "number" ? line.font_size : scaled.fontSize;
  const bases = [
    scaled,
    { ...scaled, fontSize },
    { ...scaled, fontSize, lineHeight: Math.round(fontSize * scaled.lineHeight / scaled.fontSize) },
  ];
  for (const base of bases) {
    for (const longPrompt of ["paginate", "shrink"] as const) {
      // A `--style varied` line's look is re-chosen from its recorded style seed (#19).
      const style = line.style as { style?: unknown; seed?: unknown } | undefined;
      const renderer = silentRenderer(spec, {
        ...(style?.style === "varied" && typeof style.seed === "number"
          ? { style: { style: "varied" as const, seed: style.seed } }
          : {}),
        layout: {
          ...base,
          width: line.width,
          height: line.height,
          frames: line.frames,
          longPrompt,
          ...(line.pace === "one" || line.pace === "fit" ? { pace: line.pace } : {}),
        },
      });
      const planned = await renderer.plan({
        index: line.index,
        prompt: line.prompt_text,
        response: line.response_text,
      });
      if ("skip" in planned) continue;
      const f = planned.fields;
      const same = f.frames === line.frames && f.pages === line.pages &&
        f.font_size === line.font_size && f.prompt_text === line.prompt_text &&
        f.response_text === line.response_text &&
        (line.reveal_end_frame === undefined || f.reveal_end_frame === line.reveal_end_frame);
      if (!same) continue;
      const state = planned.state as SilentState;
      const measure = state.look ? fileFontMeasure(state.look.fontFile) : fontMeasure;
      const view = planView(state.plan, { measure });
      return {
        ...traits,
        frames: view.frames,
        height: view.height,
        fontSize: view.font_size,
        pages: view.pages.map((page) => ({
          frame: page.last_frame,
          lines: [...page.prompt_lines, ...page.answer_lines].map((l) => l.text),
        })),
      };
    }
  }
  return { problem: "the line's layout could not be re-planned (settings not recorded)" };
}

function getDatasetOrStub(key: string): ReturnType<typeof getDataset> {
  try {
    return getDataset(key);
  } catch {
    return getDataset("gsm8k");
  }
}
