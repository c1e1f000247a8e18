/**
 * Golden output: render the embedded samples through the CLI (every dataset silent, a few with
 * non-default flags, a config file, mpeg4, and narrated with espeak-ng and the loopback Edge
 * server) and compare the sha256 of every MP4 and manifest with `tests/fixtures/golden/*.json`.
 *
 * This is the proof that a refactor left output byte-identical. Work that changes output on
 * purpose (line breaking, encoder, layout) regenerates the fixtures and commits them:
 *
 *     VIDEOWORD_UPDATE_GOLDEN=1 deno test -A tests/golden_test.ts
 *
 * Silent MP4s of the native encoder (the default) are the program's own bytes: they are compared
 * on every machine. MP4s ffmpeg makes (x264, mpeg4, the narrated AAC) depend on its build and
 * narrated timing on espeak-ng's, so each fixture records the tool versions it was made with, and
 * those files (and, for narrated cases, the manifests) are compared only where the versions
 * match; silent manifests always are. `silent_x264` is a real `--encoder x264` case (its MP4s
 * must carry x264's SEI), and no case sets an option its encoder ignores (no warning line).
 */
import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { EDGE_URL_ENV } from "../src/tts/mod.ts";
import { startEdgeServer } from "./helpers/edge_server.ts";
import { ROOT, runVideoword, walkFiles, withTempDir } from "./helpers/video.ts";

const UPDATE = Deno.env.get("VIDEOWORD_UPDATE_GOLDEN") === "1";
const FIXTURES = join(ROOT, "tests/fixtures/golden");
/** Stands for the temp output folder in manifests (their paths are absolute). */
const BASE_TOKEN = "$BASE";

interface GoldenCase {
  /** Fixture file name (without `.json`). */
  name: string;
  /** One or more CLI runs into the same base folder (`--base-dir` and `--no-progress` added). */
  runs: string[][];
  /** `videoword.jsonc` written into the working directory first (JSON text). */
  config?: string;
  narrated?: "espeak" | "edge";
  /** Warning lines a run may print (an ignored option kept because the fingerprint has it). */
  warnings?: RegExp[];
}

/** A tool whose version output bytes depend on. */
type Tool = "ffmpeg" | "espeak";

interface GoldenFixture {
  runs: string[][];
  config?: string;
  tools: { ffmpeg: string; espeak?: string };
  /** Relative path → sha256 (manifests with the base folder replaced by `$BASE`). */
  files: Record<string, string>;
}

const SAMPLES = ["--source", "samples"];

const CASES: GoldenCase[] = [
  {
    name: "silent_all",
    runs: [["render", "all", ...SAMPLES, "--num-samples", "4"]],
  },
  {
    name: "silent_flags",
    // Unused under shrink: said, and counted as its default in the fingerprint (#21), so these
    // videos are byte-identical to the same run without it.
    warnings: [/^videoword: warning: --prompt-page-frames is ignored: .*paginate$/],
    runs: [
      [
        "render",
        "gsm8k",
        ...SAMPLES,
        ...["--start-idx", "2", "--num-samples", "3", "--mode", "inference"],
        ...["--long-prompt", "shrink", "--font-size", "24", "--line-height", "30"],
        ...["--margin", "10", "--frames", "150", "--fps", "15", "--width", "480"],
        ...["--height", "320", "--prompt-page-frames", "5"],
        ...["--background", "#F0F0F0", "--foreground", "#202020"],
      ],
      [
        "render",
        "tinystories",
        ...SAMPLES,
        ...["--num-samples", "2", "--codec", "mpeg4", "--crf", "6", "--mode", "rendering"],
      ],
      [
        "render",
        "openmath2_gsm8k",
        ...SAMPLES,
        ...["--num-samples", "3", "--long-prompt", "skip", "--num-workers", "1"],
      ],
    ],
  },
  {
    name: "silent_config",
    config: JSON.stringify({
      render: { long_prompt: "shrink", font_size: 26 },
      templates: { belle_school_math: { inference: "Q: {prompt} ({seconds} s)" } },
    }),
    runs: [["render", "belle_school_math", ...SAMPLES, "--num-samples", "3"]],
  },
  {
    // x264 through ffmpeg: from the settings file, and flags over it.
    name: "silent_x264",
    config: JSON.stringify({ render: { encoder: "x264", crf: 25, x264_preset: "faster" } }),
    runs: [
      ["render", "belle_school_math", ...SAMPLES, "--num-samples", "2"],
      [
        "render",
        "gsm8k",
        ...SAMPLES,
        ...["--num-samples", "2", "--crf", "26", "--x264-preset", "medium"],
      ],
    ],
  },
  {
    name: "narrated_espeak",
    narrated: "espeak",
    runs: [
      ["audio-render", "gsm8k", ...SAMPLES, "--tts", "espeak", "--num-samples", "2"],
      [
        "audio-render",
        "tinystories_chinese",
        ...SAMPLES,
        ...["--tts", "espeak", "--num-samples", "2", "--rate", "+20", "--max-duration", "8"],
        ...["--font-size", "24"],
      ],
    ],
  },
  {
    name: "narrated_edge",
    narrated: "edge",
    runs: [
      [
        "audio-render",
        "tinystories",
        ...SAMPLES,
        ...["--num-samples", "2", "--max-duration", "12", "--rate", "-10"],
      ],
    ],
  },
];

const decoder = new TextDecoder();

async function firstLine(bin: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(bin, { args, stdout: "piped", stderr: "null" }).output();
  return decoder.decode(out.stdout).split("\n")[0].trim();
}

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function run(c: GoldenCase, args: string[], cwd: string, env: Record<string, string>) {
  const out = await runVideoword(args, { cwd, env });
  assert.equal(out.code, 0, `videoword ${args.join(" ")} failed: ${out.stderr}`);
  const unexpected = out.stderr.split("\n").filter((line) =>
    /warning:/.test(line) && !(c.warnings ?? []).some((w) => w.test(line))
  );
  assert.deepEqual(unexpected, [], `${c.name}: a run sets an option that is ignored`);
}

/** The value of `--flag` in `args`, else the settings file's `render.KEY`, else `fallback`. */
function renderOption(c: GoldenCase, args: string[], flag: string, key: string): string {
  const at = args.indexOf(flag);
  if (at >= 0) return args[at + 1];
  return (c.config ? JSON.parse(c.config).render?.[key] : undefined) ?? "";
}

/** Whether ffmpeg encoded the video of `args` (x264 or mpeg4), not the native encoder. */
function encodedByFfmpeg(c: GoldenCase, args: string[]): boolean {
  return renderOption(c, args, "--codec", "codec") === "mpeg4" ||
    renderOption(c, args, "--encoder", "encoder") === "x264";
}

/** The arguments of the run of `c` that wrote output `file`. */
function runOf(c: GoldenCase, file: string): string[] {
  const dataset = file.split("/")[0];
  const args = c.runs.find((r) => r[1] === "all" || r[1] === dataset);
  assert.ok(args, `${c.name}: no run wrote ${file}`);
  return args;
}

/** The tools whose version the bytes of output `file` depend on. */
function toolsOf(c: GoldenCase, file: string): Tool[] {
  if (c.narrated) return file.endsWith(".mp4") ? ["ffmpeg", "espeak"] : ["espeak"];
  if (!file.endsWith(".mp4")) return [];
  return encodedByFfmpeg(c, runOf(c, file)) ? ["ffmpeg"] : [];
}

/** Hash every MP4 and manifest under `base` (not the TTS cache, not the timed stats). */
async function hashOutput(base: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const names = (await walkFiles(base)).filter((name) =>
    !name.startsWith(".") && (name.endsWith(".mp4") || name.endsWith(".jsonl"))
  ).sort();
  for (const name of names) {
    let bytes: Uint8Array<ArrayBuffer> = await Deno.readFile(join(base, name));
    if (name.endsWith(".jsonl")) {
      bytes = new TextEncoder().encode(decoder.decode(bytes).replaceAll(base, BASE_TOKEN));
    }
    files[name] = await sha256(bytes);
  }
  return files;
}

async function renderCase(c: GoldenCase, tools: GoldenFixture["tools"]): Promise<GoldenFixture> {
  let fixture: GoldenFixture | undefined;
  await withTempDir(async (dir) => {
    const edge = c.narrated === "edge" ? startEdgeServer() : undefined;
    try {
      const base = join(dir, "out");
      if (c.config !== undefined) {
        await Deno.writeTextFile(join(dir, "videoword.jsonc"), c.config);
      }
      const env: Record<string, string> = edge ? { [EDGE_URL_ENV]: edge.url } : {};
      for (const args of c.runs) {
        await run(c, [...args, "--base-dir", base, "--no-progress"], dir, env);
      }
      const files = await hashOutput(base);
      assert.ok(Object.keys(files).some((f) => f.endsWith(".mp4")), "no video was written");
      // An x264 run's videos are x264's (its SEI names it); a native one's are not.
      for (const name of Object.keys(files).filter((f) => f.endsWith(".mp4") && !c.narrated)) {
        const args = runOf(c, name);
        if (renderOption(c, args, "--codec", "codec") === "mpeg4") continue;
        const bytes = new TextDecoder("latin1").decode(await Deno.readFile(join(base, name)));
        assert.equal(bytes.includes("x264 - core"), encodedByFfmpeg(c, args), `${c.name}: ${name}`);
      }
      fixture = { runs: c.runs, ...(c.config ? { config: c.config } : {}), tools, files };
    } finally {
      await edge?.close();
    }
  });
  return fixture!;
}

const ffmpegVersion = await firstLine("ffmpeg", ["-version"]);
const espeakVersion = await firstLine("espeak-ng", ["--version"]);

for (const c of CASES) {
  Deno.test(`golden: ${c.name} renders byte-identical output`, async () => {
    const tools = { ffmpeg: ffmpegVersion, ...(c.narrated ? { espeak: espeakVersion } : {}) };
    const actual = await renderCase(c, tools);
    const path = join(FIXTURES, `${c.name}.json`);
    if (UPDATE) {
      await Deno.mkdir(FIXTURES, { recursive: true });
      await Deno.writeTextFile(path, JSON.stringify(actual, null, 2) + "\n");
      console.log(`golden: wrote ${relative(ROOT, path)}`);
      return;
    }
    const expected: GoldenFixture = JSON.parse(await Deno.readTextFile(path));
    assert.deepEqual(
      actual.runs,
      expected.runs,
      `${c.name}: the case changed; regenerate with VIDEOWORD_UPDATE_GOLDEN=1`,
    );
    assert.deepEqual(
      Object.keys(actual.files),
      Object.keys(expected.files),
      `${c.name}: different files were written`,
    );
    assert.equal(actual.config, expected.config, `${c.name}: the case's settings file changed`);
    const same: Record<Tool, boolean> = {
      ffmpeg: expected.tools.ffmpeg === tools.ffmpeg,
      espeak: expected.tools.espeak === tools.espeak,
    };
    const compared = Object.keys(expected.files).filter((name) =>
      toolsOf(c, name).every((tool) => same[tool])
    );
    if (compared.length < Object.keys(expected.files).length) {
      console.warn(
        `golden ${c.name}: tools differ from the fixture's (${JSON.stringify(expected.tools)}); ` +
          `compared ${compared.length} of ${Object.keys(expected.files).length} files`,
      );
    }
    const changed = compared.filter((name) => actual.files[name] !== expected.files[name]);
    assert.deepEqual(
      changed,
      [],
      `${c.name}: output changed. If intended, regenerate: VIDEOWORD_UPDATE_GOLDEN=1 ` +
        `deno test -A tests/golden_test.ts, and say why in the commit`,
    );
  });
}
