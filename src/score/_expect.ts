/**
 * What a manifest line's video shows, re-planned from the line's shown sentences and recorded
 * `layout` with the same pure plan `render` uses (`revealPlan`), as pages: each page's last full
 * frame and the lines on it.
 */
import { getDataset } from "../datasets/mod.ts";
import { layoutFromRecord, planView, revealPlan } from "../layout/mod.ts";
import { fileFontMeasure, fontMeasure } from "../paint/mod.ts";
import type { ManifestLine } from "../pipeline/mod.ts";

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

/**
 * `line`'s language and kind, from its dataset; for a dataset declared in a settings file this
 * command does not read, judged by the text: Chinese when it has a CJK character, math when
 * `looksMath` says so (silent and narrated lines are told apart differently).
 */
export function datasetTraits(
  line: ManifestLine,
  looksMath: (line: ManifestLine) => boolean,
): { language: "en" | "zh"; kind: "math" | "story" } {
  try {
    const spec = getDataset(line.dataset);
    return { language: spec.language, kind: spec.kind };
  } catch {
    return {
      language: CJK.test(line.prompt_text + line.response_text) ? "zh" : "en",
      kind: looksMath(line) ? "math" : "story",
    };
  }
}

/** What to do about a line written before manifests recorded what score re-plans from. */
const OLDER = "(an older manifest: run the same render command again; it keeps the videos and " +
  "rewrites the manifests)";

const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((v) => typeof v === "string");

/**
 * Re-plan `line`'s video: one plan, from the sentences the line says are shown and the settings
 * its `layout` record says the plan was made with (the font: its `style`). The plan must give the
 * line's own frames, pages, reveal end, font size and text; if it does not, the line does not say
 * what its video shows, and that is the problem reported.
 */
export function expectedPages(line: ManifestLine): Promise<Expected> {
  return Promise.resolve(replan(line));
}

function replan(line: ManifestLine): Expected {
  if (typeof line.prompt_text !== "string" || typeof line.response_text !== "string") {
    return { problem: "line has no prompt_text/response_text" };
  }
  if ("subtitles" in line || "audio_path" in line) {
    // `score` reads these with `expectedNarrated` (prompt pages, then subtitle cues in their
    // band); the silent plan here has no subtitle band and would expect the wrong frames.
    return {
      problem: "a narrated line: its prompt pages and subtitle cues are re-planned by " +
        "expectedNarrated, not as a silent video's pages",
    };
  }
  if (!isStrings(line.prompt_sentences) || !isStrings(line.response_sentences)) {
    return { problem: `line has no prompt_sentences/response_sentences ${OLDER}` };
  }
  const layout = layoutFromRecord(line.layout);
  if ("problem" in layout) return { problem: `${layout.problem} ${OLDER}` };
  const traits = datasetTraits(line, (l) => /####|answer is|答案是/i.test(l.response_text));
  const style = line.style as { style?: unknown; font_file?: unknown } | undefined;
  const measure = style?.style === "varied" && typeof style.font_file === "string"
    ? fileFontMeasure(style.font_file)
    : fontMeasure;
  const plan = revealPlan(line.prompt_sentences, line.response_sentences, {
    ...layout,
    kind: traits.kind,
    language: traits.language,
    measure,
  });
  if ("skip" in plan) {
    return { problem: `the line's recorded layout re-plans to a skip (${plan.skip})` };
  }
  const differs = [
    plan.frames.length !== line.frames && "frames",
    plan.pages.length !== line.pages && "pages",
    plan.fontSize !== line.font_size && "font_size",
    plan.width !== line.width && "width",
    plan.height !== line.height && "height",
    plan.revealEndFrame !== line.reveal_end_frame && "reveal_end_frame",
    plan.promptText !== line.prompt_text && "prompt_text",
    plan.responseText !== line.response_text && "response_text",
  ].filter((d): d is string => typeof d === "string");
  if (differs.length > 0) {
    return {
      problem: `the line's recorded layout re-plans to a different video (${differs.join(", ")})`,
    };
  }
  const view = planView(plan, { measure });
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
