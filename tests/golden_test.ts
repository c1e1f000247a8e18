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
 * MP4 bytes depend on the ffmpeg (x264, AAC) build and narrated timing on espeak-ng's, so each
 * fixture records the tool versions it was made with. On a machine with other versions the MP4
 * hashes (and, for narrated cases, the manifests) are not compared; silent manifests always are.
 */
import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { EDGE_URL_ENV } from "../src/tts/mod.ts";
import { startEdgeServer } from "./helpers/edge_server.ts";
import { ROOT, walkFiles } from "./helpers/video.ts";

const UPDATE = Deno.env.get("VIDEOWORD_UPDATE_GOLDEN") === "1";
const FIXTURES = join(ROOT, "tests/fixtures/golden");
/** Stands for the temp output folder in manifests (their paths are absolute). */
const BASE_TOKEN = "$BASE";

interface GoldenCase {
  /** Fixture file name (without `.json`). */
  name: string;
  /** One or more CLI runs into the same base folder (`--base-dir` and `--no-progress` added). */
  runs: string[][];
  /** `videoword.jsonc` written into the working directory first. */
  config?: string;
  narrated?: "espeak" | "edge";
}

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
        ...["--crf", "26", "--x264-preset", "faster"],
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
      render: { long_prompt: "shrink", font_size: 26, crf: 25, preset: "faster" },
      templates: { belle_school_math: { inference: "Q: {prompt} ({seconds} s)" } },
    }),
    runs: [["render", "belle_school_math", ...SAMPLES, "--num-samples", "3"]],
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

async function run(args: string[], cwd: string, env: Record<string, string>): Promise<void> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(ROOT, "main.ts"), ...args],
    cwd,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, `videoword ${args.join(" ")} failed: ${decoder.decode(out.stderr)}`);
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
  const dir = await Deno.makeTempDir({ prefix: `videoword_golden_${c.name}_` });
  const edge = c.narrated === "edge" ? startEdgeServer() : undefined;
  try {
    const base = join(dir, "out");
    if (c.config !== undefined) await Deno.writeTextFile(join(dir, "videoword.jsonc"), c.config);
    const env: Record<string, string> = edge ? { [EDGE_URL_ENV]: edge.url } : {};
    for (const args of c.runs) {
      await run([...args, "--base-dir", base, "--no-progress"], dir, env);
    }
    const files = await hashOutput(base);
    assert.ok(Object.keys(files).some((f) => f.endsWith(".mp4")), "no video was written");
    return { runs: c.runs, ...(c.config ? { config: c.config } : {}), tools, files };
  } finally {
    await edge?.close();
    await Deno.remove(dir, { recursive: true });
  }
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
    const sameFfmpeg = expected.tools.ffmpeg === tools.ffmpeg;
    const sameEspeak = expected.tools.espeak === tools.espeak;
    const compared = Object.keys(expected.files).filter((name) =>
      name.endsWith(".mp4") ? sameFfmpeg && sameEspeak : !c.narrated || sameEspeak
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
