/**
 * Frames out of a video (one ffmpeg call per video, PNGs on a pipe) and text out of a frame
 * (tesseract, one call per frame, the PNG on stdin). Both through the project's process runner.
 */
import { join } from "node:path";
import { runChecked } from "../process/mod.ts";

/** Tools and limits for frame extraction and OCR. */
export interface OcrTools {
  /** @default {"ffmpeg"} */
  ffmpegBin: string;
  /** @default {"ffprobe"} */
  ffprobeBin: string;
  /** @default {"tesseract"} */
  tesseractBin: string;
}

/** The tools' defaults (binaries on PATH). */
export const OCR_TOOLS_DEFAULTS: Readonly<OcrTools> = {
  ffmpegBin: "ffmpeg",
  ffprobeBin: "ffprobe",
  tesseractBin: "tesseract",
};

/** Tesseract's language for a dataset language. */
export function tesseractLanguage(language: "en" | "zh"): string {
  return language === "zh" ? "chi_sim" : "eng";
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Split a stream of concatenated PNG files (ffmpeg's image2pipe) into files, by their chunks. */
export function splitPngStream(bytes: Uint8Array): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const files: Uint8Array[] = [];
  let start = 0;
  while (start + 8 <= bytes.length) {
    if (!PNG_SIGNATURE.every((b, i) => bytes[start + i] === b)) {
      throw new Error(`not a PNG stream at byte ${start}`);
    }
    let at = start + 8;
    for (;;) {
      if (at + 12 > bytes.length) throw new Error("PNG stream ends inside a file");
      const length = view.getUint32(at);
      const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
      at += 12 + length;
      if (type === "IEND") break;
    }
    files.push(bytes.slice(start, at));
    start = at;
  }
  return files;
}

/** A rectangle of a frame, in the video's pixels. */
export interface Crop {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Options of {@link frameExtractArgs}. */
export interface FrameExtractOptions {
  /**
   * Read only this part of each frame (cut before scaling): a narrated video's subtitle band.
   * @default {null}
   */
  crop?: Crop | null;
  /**
   * Invert the colours (light text on a dark band becomes dark on light, which tesseract reads
   * without first trying both).
   * @default {false}
   */
  negate?: boolean;
  /**
   * Scale frames by this factor (Lanczos) before OCR: see {@link ocrScale}.
   * @default {1}
   */
  scale?: number;
}

/**
 * The ffmpeg arguments that write frames `frames` (0-based, ascending, distinct) of `video` as
 * PNGs to stdout, in order. Pure.
 */
export function frameExtractArgs(
  video: string,
  frames: readonly number[],
  options: FrameExtractOptions = {},
): string[] {
  const scale = options.scale ?? 1;
  const crop = options.crop ?? null;
  const select = frames.map((n) => `eq(n\\,${n})`).join("+") +
    (crop === null ? "" : `,crop=${crop.width}:${crop.height}:${crop.x}:${crop.y}`) +
    (scale === 1 ? "" : `,scale=iw*${scale}:ih*${scale}:flags=lanczos`) +
    (options.negate ? ",negate" : "");
  return [
    "-v",
    "error",
    "-nostdin",
    "-i",
    video,
    "-vf",
    `select=${select}`,
    "-fps_mode",
    "passthrough",
    "-frames:v",
    String(frames.length),
    "-f",
    "image2pipe",
    "-c:v",
    "png",
    "pipe:1",
  ];
}

/** Frames `frames` of `video` as PNG files, one ffmpeg call. */
export async function extractFrames(
  video: string,
  frames: readonly number[],
  tools: OcrTools,
  options: FrameExtractOptions = {},
): Promise<Uint8Array[]> {
  const wanted = [...new Set(frames)].sort((a, b) => a - b);
  const { stdout } = await runChecked(tools.ffmpegBin, frameExtractArgs(video, wanted, options), {
    timeoutMs: 120_000,
  });
  const pngs = splitPngStream(stdout);
  if (pngs.length !== wanted.length) {
    throw new Error(
      `${video}: ffmpeg gave ${pngs.length} of ${wanted.length} frames (${wanted.join(", ")})`,
    );
  }
  const byFrame = new Map(wanted.map((n, i) => [n, pngs[i]]));
  return frames.map((n) => byFrame.get(n)!);
}

/** A video's frame count (its stream's, or decoded and counted when unrecorded) and size. */
export async function probeFrames(
  video: string,
  tools: OcrTools,
): Promise<{ frames: number; width: number; height: number }> {
  const probe = async (
    count: boolean,
  ): Promise<{ frames: number; width: number; height: number }> => {
    const { stdout } = await runChecked(tools.ffprobeBin, [
      "-v",
      "error",
      ...(count ? ["-count_frames"] : []),
      "-select_streams",
      "v:0",
      "-show_entries",
      `stream=width,height,${count ? "nb_read_frames" : "nb_frames"}`,
      "-of",
      "json",
      video,
    ], { timeoutMs: 120_000 });
    const stream = JSON.parse(new TextDecoder().decode(stdout)).streams?.[0] ?? {};
    return {
      frames: Number(count ? stream.nb_read_frames : stream.nb_frames),
      width: Number(stream.width),
      height: Number(stream.height),
    };
  };
  const recorded = await probe(false);
  if (Number.isInteger(recorded.frames) && recorded.frames > 0) return recorded;
  const counted = await probe(true);
  if (!Number.isInteger(counted.frames) || counted.frames < 1) {
    throw new Error(`${video}: no video frames`);
  }
  return counted;
}

/**
 * Glyphs this tall (the font's em, in pixels) read best: measured on our frames, tesseract's
 * Chinese CER rises on both sides of it (at 56 px it doubles); English is flat around it.
 */
export const OCR_FONT_PX = 32;

/** The scale that brings a `fontSize`-pixel font to {@link OCR_FONT_PX}. */
export function ocrScale(fontSize: number): number {
  return Math.round((OCR_FONT_PX / fontSize) * 1000) / 1000;
}

/** Tesseract's page segmentation: `--psm 6`, one uniform block of text. */
const TESSERACT_PSM = ["--psm", "6"] as const;

const engineVersions = new Map<string, Promise<string>>();

/**
 * The OCR engine's identity for `language` as score lines record it: tesseract's version line
 * and the arguments every read passes (`tesseract 5.3.0 -l eng --psm 6`). Tesseract's version is
 * asked once per binary (4.x prints it on stderr, 5.x on stdout).
 */
export async function ocrEngine(language: string, tools: OcrTools): Promise<string> {
  let version = engineVersions.get(tools.tesseractBin);
  if (!version) {
    version = runChecked(tools.tesseractBin, ["--version"], {
      timeoutMs: 30_000,
      tool: "tesseract",
    }).then((result) => {
      const text = new TextDecoder().decode(result.stdout) + "\n" + result.stderr;
      return text.split("\n").map((l) => l.trim()).find((l) => l !== "") ?? "tesseract";
    });
    engineVersions.set(tools.tesseractBin, version);
    version.catch(() => engineVersions.delete(tools.tesseractBin));
  }
  return `${await version} -l ${language} ${TESSERACT_PSM.join(" ")}`;
}

/** The text tesseract reads in `png` (`--psm 6`: one uniform block of text). */
export async function ocrPng(png: Uint8Array, language: string, tools: OcrTools): Promise<string> {
  const { stdout } = await runChecked(
    tools.tesseractBin,
    ["stdin", "stdout", ...TESSERACT_PSM, "-l", language],
    // One thread per call: parallelism comes from the workers, and OpenMP threads on a busy
    // machine only slow each other down.
    { stdin: png, timeoutMs: 120_000, env: { OMP_THREAD_LIMIT: "1" }, tool: "tesseract" },
  );
  return new TextDecoder().decode(stdout).replace(/\f/g, "").trim();
}

/**
 * The text tesseract reads in each of `pngs`, in order, from one tesseract process (its model
 * loads once: a narrated video's dozen subtitle crops cost little more than one frame). Same
 * settings as {@link ocrPng}.
 */
export async function ocrPngs(
  pngs: readonly Uint8Array[],
  language: string,
  tools: OcrTools,
): Promise<string[]> {
  if (pngs.length === 0) return [];
  if (pngs.length === 1) return [await ocrPng(pngs[0], language, tools)];
  const dir = await Deno.makeTempDir({ prefix: "videoword-ocr-" });
  try {
    const files = pngs.map((_, i) => join(dir, `${String(i).padStart(4, "0")}.png`));
    await Promise.all(pngs.map((png, i) => Deno.writeFile(files[i], png)));
    const list = join(dir, "list.txt");
    await Deno.writeTextFile(list, files.join("\n") + "\n");
    const { stdout } = await runChecked(
      tools.tesseractBin,
      [list, "stdout", ...TESSERACT_PSM, "-l", language],
      {
        timeoutMs: 120_000 + 10_000 * pngs.length,
        env: { OMP_THREAD_LIMIT: "1" },
        tool: "tesseract",
      },
    );
    // Tesseract ends every image's text with a form feed.
    const texts = new TextDecoder().decode(stdout).split("\f").map((t) => t.trim());
    if (texts.length < pngs.length) {
      throw new Error(`tesseract read ${texts.length - 1} of ${pngs.length} images`);
    }
    return texts.slice(0, pngs.length);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
