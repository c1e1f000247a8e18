import { join } from "node:path";
import type { DatasetSpec, Sample } from "../datasets/mod.ts";
import { type LineView, type PageView, type PlanView, planView } from "../layout/mod.ts";
import {
  fileFontMeasure,
  fontMeasure,
  type PaintedFrames,
  paintFrames,
  paintNarrated,
  type PaintOptions,
} from "../paint/mod.ts";
import {
  type ManifestLine,
  manifestLine,
  type ManifestMode,
  type NarratedState,
  type PlannedSample,
  type SampleRenderer,
  type SilentState,
  type TemplateValues,
  videoPath,
} from "../pipeline/mod.ts";
import { splitOutputName } from "../paths/mod.ts";
import { writeFileAtomic } from "../atomic_write/mod.ts";
import { contactSheetPng, type SheetFrame } from "./_sheet.ts";
import { encodeAnimation } from "./_animation.ts";

/** A narrated subtitle screen as previewed: its text, lines, time span and first frame. */
export interface SubtitleView {
  text: string;
  lines: string[];
  start: number;
  end: number;
  first_frame: number;
}

/**
 * What `videoword preview --json` prints for a sample that renders: the layout plan as pages of
 * lines (`PlanView`), plus the sample, the kind and the frame rate; narrated samples add their
 * subtitle screens. A skipped sample prints `{"skip": reason}` instead.
 */
export type PreviewPlan =
  & {
    dataset: string;
    index: number;
    fps: number;
    /** The sample's style record, as its manifest lines carry it (font, sizes, colours, seed). */
    style: Record<string, unknown>;
  }
  & (
    | ({ kind: "silent" } & PlanView)
    | {
      kind: "narrated";
      width: number;
      height: number;
      frames: number;
      duration: number;
      /** Prompt pages (answer_lines empty: the answer is spoken and subtitled). */
      pages: PageView[];
      subtitles: SubtitleView[];
    }
  );

/** Everything `previewSample` needs besides the sample; all of it already resolved. */
export interface PreviewOptions {
  spec: DatasetSpec;
  renderer: SampleRenderer;
  /** The video's frame rate (as the renderer was made with). */
  fps: number;
  /** Colours of silent videos (as the renderer was made with). */
  paint: PaintOptions;
  /** Where the video would be written (for the manifest line's `video_path`). */
  baseDir: string;
  /**
   * The split the sample is of (names the video's folder and file, as `render --split` would).
   * @default {"train"}
   */
  split?: string;
  /** Manifests the run would write, each with its prompt template. */
  templates: Partial<Record<ManifestMode, string>>;
  ffmpegBin: string;
}

/** What a preview produced. */
export interface PreviewResult {
  plan: PreviewPlan | { skip: string };
  /** Manifest lines by mode (empty when skipped). */
  manifest: Partial<Record<ManifestMode, ManifestLine>>;
  /** Key frames on the contact sheet and their labels. */
  keyFrames: { frame: number; label: string }[];
  /** Files written (none for `planOnly`). */
  files: string[];
}

function round2(x: number): string {
  return x.toFixed(2);
}

function narratedView(
  state: NarratedState,
  fields: PlannedSample["fields"],
  fps: number,
): Omit<Extract<PreviewPlan, { kind: "narrated" }>, "dataset" | "index" | "fps" | "style"> {
  const { picture } = state;
  const pages: PageView[] = picture.pages.map((page, i) => {
    const last = (picture.pages[i + 1]?.frame ?? picture.frames) - 1;
    const lines: LineView[] = page.lines.map((line) => ({
      text: line.text,
      x: line.x,
      y: line.y,
      units: [{ text: line.text, x: line.x, first_frame: page.frame }],
    }));
    return {
      first_frame: page.frame,
      last_frame: last,
      prompt_lines: lines,
      separator_y: null,
      answer_lines: [],
    };
  });
  const subtitles = (fields.subtitles as { text: string; start: number; end: number }[]) ?? [];
  const cues = picture.cues;
  return {
    kind: "narrated",
    width: picture.width,
    height: picture.height,
    frames: picture.frames,
    duration: Number(fields.duration),
    pages,
    subtitles: subtitles.map((s) => {
      const frame = Math.min(picture.frames - 1, Math.floor(s.start * fps + 1e-6));
      return {
        text: s.text,
        lines: cues.find((c) => c.frame === frame)?.lines ?? [s.text],
        start: s.start,
        end: s.end,
        first_frame: frame,
      };
    }),
  };
}

/**
 * Plan one sample exactly as a render would (the same renderer), and describe it; unless
 * `planOnly`, also paint every frame and write `contact_sheet.png` (page turns, reveal end and
 * last frame; narrated: one frame per subtitle screen) and `animation.gif` into `outDir`.
 */
export async function previewSample(
  sample: Sample,
  options: PreviewOptions,
  output: { outDir: string; planOnly?: boolean },
): Promise<PreviewResult> {
  const { spec, renderer, fps } = options;
  const planned = await renderer.plan(sample);
  if ("skip" in planned) return { plan: planned, manifest: {}, keyFrames: [], files: [] };

  const manifest: Partial<Record<ManifestMode, ManifestLine>> = {};
  const line = {
    video_path: videoPath(options.baseDir, splitOutputName(spec.key, options.split), sample.index, {
      kind: renderer.kind,
    }),
    dataset: spec.key,
    index: sample.index,
    ...planned.fields,
    fingerprint: planned.fingerprint,
  };
  for (const [mode, template] of Object.entries(options.templates) as [ManifestMode, string][]) {
    manifest[mode] = manifestLine(line, planned.values as TemplateValues, {
      kind: renderer.kind,
      mode,
      template,
    });
  }

  const style = planned.fields.style as Record<string, unknown>;
  let plan: PreviewPlan;
  let painted: () => PaintedFrames;
  let keyFrames: { frame: number; label: string }[];
  if (renderer.kind === "silent") {
    const state = planned.state as SilentState;
    const reveal = state.plan;
    const measure = state.look ? fileFontMeasure(state.look.fontFile) : fontMeasure;
    const view = planView(reveal, { measure });
    plan = { dataset: spec.key, index: sample.index, fps, style, kind: "silent", ...view };
    // A varied sample's colours and look are its own; the seed's come from the preview's options.
    painted = () =>
      paintFrames(reveal, state.look ? { ...state.paint, look: state.look } : options.paint);
    const labels = new Map<number, string[]>();
    const mark = (frame: number, what: string) =>
      labels.set(frame, [...(labels.get(frame) ?? []), what]);
    view.page_turn_frames.forEach((frame, i) => mark(frame, i === 0 ? "start" : `page ${i + 1}`));
    mark(view.reveal_end_frame, "reveal end");
    mark(view.frames - 1, "last");
    keyFrames = [...labels].sort((a, b) => a[0] - b[0]).map(([frame, what]) => ({
      frame,
      label: `frame ${frame} · ${what.join(", ")}`,
    }));
  } else {
    const state = planned.state as NarratedState;
    const view = narratedView(state, planned.fields, fps);
    plan = { dataset: spec.key, index: sample.index, fps, style, ...view };
    painted = () => paintNarrated(state.picture);
    keyFrames = state.picture.cues.map((cue) => ({
      frame: cue.frame,
      label: `frame ${cue.frame} · ${round2(cue.frame / fps)} s`,
    }));
  }
  if (output.planOnly) return { plan, manifest, keyFrames, files: [] };

  const frames = painted();
  const wanted = new Set(keyFrames.map((k) => k.frame));
  const captured = new Map<number, Uint8Array>();
  function* tapped(): Generator<Uint8Array> {
    let index = 0;
    for (const frame of frames.frames) {
      if (wanted.has(index)) captured.set(index, frame.slice());
      yield frame;
      index++;
    }
  }
  const gif = await encodeAnimation(tapped(), {
    width: frames.width,
    height: frames.height,
    pixelFormat: frames.pixelFormat,
    fps,
    ffmpegBin: options.ffmpegBin,
  });
  const sheet: SheetFrame[] = keyFrames
    .filter((k) => captured.has(k.frame))
    .map((k) => ({ label: k.label, pixels: captured.get(k.frame)! }));
  const png = contactSheetPng(sheet, {
    width: frames.width,
    height: frames.height,
    pixelFormat: frames.pixelFormat,
  });
  await Deno.mkdir(output.outDir, { recursive: true });
  const sheetPath = join(output.outDir, "contact_sheet.png");
  const gifPath = join(output.outDir, "animation.gif");
  await writeFileAtomic(sheetPath, png);
  await writeFileAtomic(gifPath, gif);
  return { plan, manifest, keyFrames, files: [sheetPath, gifPath] };
}

/**
 * A style record in a line a person reads: "varied (style seed 5): Lora, serif, 27 px
 * (varied/lora-latin-400-normal.woff2); cream #FFF5D6 on dark green #1B4D2B, gradient to #2B2B2B".
 */
export function styleSummary(style: Record<string, unknown>): string {
  const ground = style.background_kind === "gradient"
    ? `gradient to ${style.background_end}`
    : style.background_kind === "paper"
    ? `paper texture ${style.texture_seed}`
    : "flat";
  return `${style.style} (style seed ${style.seed}): ${style.font_family}, ${style.font_style}, ` +
    `${style.font_size} px (${style.font_file}); ${style.foreground_name} ${style.foreground} on ` +
    `${style.background_name} ${style.background}, ${ground}`;
}
