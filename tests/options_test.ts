/**
 * The option table: layer precedence, computed defaults, the settings it resolves to, and that
 * `--help`, the README tables and `videoword.jsonc`'s defaults are the table's.
 */
import assert from "node:assert/strict";
import { join, resolve } from "node:path";
import { defaultConfig, parseConfigFile } from "../src/config/mod.ts";
import { buildProgram } from "../src/cli/mod.ts";
import {
  audioRenderSettings,
  builtInDefault,
  commandRows,
  OPTIONS,
  renderSettings,
  resolveOptions,
  updateReadme,
} from "../src/options/mod.ts";
import { ROOT } from "./helpers/video.ts";

Deno.test("options: defaults < preset < config file < environment < flags", () => {
  const file = parseConfigFile(`{"render": {"font_size": 24, "crf": null}}`, "v.jsonc").values;
  const preset = { fontSize: 20, width: 832, height: 480, frames: 81 };
  const env = { VIDEOWORD_FFMPEG: "/opt/ffmpeg" };
  const { values, origins } = resolveOptions("render", {
    preset,
    file,
    env,
    flags: { height: 464, ffmpeg: "/usr/bin/ffmpeg" },
  });
  assert.equal(values.width, 832);
  assert.equal(origins.width, "preset");
  assert.equal(values.fontSize, 24);
  assert.equal(origins.fontSize, "config");
  assert.equal(values.height, 464);
  assert.equal(origins.height, "flag");
  assert.equal(values.ffmpeg, "/usr/bin/ffmpeg");
  assert.equal(values.frames, 81);
  assert.equal(values.crf, 23, "a null crf in the file leaves the codec's default");
  assert.equal(origins.crf, "default");
  const withoutFlag = resolveOptions("render", { env });
  assert.equal(withoutFlag.values.ffmpeg, "/opt/ffmpeg");
  assert.equal(withoutFlag.origins.ffmpeg, "env");
  assert.equal(resolveOptions("render", { env: { VIDEOWORD_FFMPEG: "" } }).values.ffmpeg, "ffmpeg");
});

Deno.test("options: computed and per-command defaults", () => {
  assert.equal(resolveOptions("render", { flags: { codec: "mpeg4" } }).values.crf, 4);
  assert.equal(resolveOptions("render").values.crf, 23);
  const slurm = resolveOptions("render", { env: { SLURM_CPUS_PER_TASK: "12" } }).values;
  assert.equal(slurm.numWorkers, 12);
  assert.equal(slurm.renderThreads, 3);
  assert.equal(resolveOptions("render", { flags: { numWorkers: 3 } }).values.renderThreads, 0);
  assert.equal(resolveOptions("render").values.fps, 19.3);
  assert.equal(resolveOptions("audio-render").values.fps, 24);
  // A flag the command does not offer is ignored rather than applied.
  assert.equal(resolveOptions("audio-render", { flags: { frames: 10 } }).values.frames, 193);
  // Sizes follow the height (a preset's or a flag's) unless set.
  const tall = resolveOptions("render", { preset: { height: 720 } }).values;
  assert.deepEqual([tall.fontSize, tall.lineHeight, tall.margin], [56, 64, 30]);
  const font = resolveOptions("render", { flags: { fontSize: 26 } }).values;
  assert.equal(font.lineHeight, 30, "a font size without a pitch keeps 28:32");
  const cache = resolveOptions("audio-render", { flags: { baseDir: "/data/out" } }).values;
  assert.equal(cache.ttsCache, "/data/out/.tts_cache");
  assert.equal(
    resolveOptions("audio-render", { env: { VIDEOWORD_ESPEAK: "/opt/espeak" } }).values.espeak,
    "/opt/espeak",
  );
});

Deno.test("options: settings are fully resolved, voices per language", () => {
  const silent = renderSettings("gsm8k", resolveOptions("render").values);
  assert.deepEqual(silent.silent.layout, {
    width: 640,
    height: 360,
    margin: 15,
    fontSize: 28,
    lineHeight: 32,
    frames: 193,
    longPrompt: "paginate",
    promptPageFrames: 10,
    pace: "one",
    holdFrames: 19,
    maxUnitsPerFrame: 4,
  });
  assert.deepEqual(silent.silent.encode, {
    codec: "h264",
    encoder: "native",
    qp: 19,
    crf: 23,
    preset: "veryfast",
    ffmpegBin: "ffmpeg",
  });
  assert.deepEqual(silent.shard.modes, ["inference", "rendering"]);
  assert.equal(silent.shard.count, undefined);
  const espeak = audioRenderSettings(
    "all",
    resolveOptions("audio-render", { flags: { tts: "espeak" } }).values,
  );
  assert.deepEqual(espeak.narrated.tts.voices, { en: "en-us", zh: "cmn-latn-pinyin" });
  // The native encoder for narrated videos too (issue 9); --encoder x264 keeps ffmpeg's.
  assert.equal(espeak.narrated.encode.encoder, "native");
  assert.equal(espeak.narrated.tts.cacheDir, resolve("./output/.tts_cache"));
  // `all`: the six built-in datasets (no videoword.jsonc declares more here).
  assert.equal(espeak.shard.specs.length, 6);
  const voice = audioRenderSettings(
    "gsm8k",
    resolveOptions("audio-render", { flags: { voice: "en-GB-RyanNeural" } }).values,
  );
  assert.deepEqual(voice.narrated.tts.voices, { en: "en-GB-RyanNeural", zh: "en-GB-RyanNeural" });
  assert.throws(
    () => renderSettings("all", resolveOptions("render", { flags: { input: ["a.jsonl"] } }).values),
    /--input needs one dataset/,
  );
});

Deno.test("options: videoword.jsonc defaults are the table's", () => {
  const config = defaultConfig();
  assert.equal(config.base_dir, OPTIONS.baseDir.default);
  assert.equal(config.data_dir, OPTIONS.dataDir.default);
  assert.equal(config.render.font_size, builtInDefault("fontSize"));
  assert.equal(config.render.preset, OPTIONS.x264Preset.default);
  assert.equal(config.render.long_prompt, OPTIONS.longPrompt.default);
  assert.equal(config.render.prompt_page_frames, OPTIONS.promptPageFrames.default);
  assert.equal(config.render.codec, OPTIONS.codec.default);
});

Deno.test("options: --help lists every row of the command with its default", () => {
  const program = buildProgram();
  for (const name of ["render", "audio-render"] as const) {
    const command = program.commands.find((c) => c.name() === name)!;
    const help = command.helpInformation();
    for (const [, row] of commandRows(name)) {
      assert.ok(help.includes(row.flags), `${name} --help lacks ${row.flags}`);
    }
    assert.match(help, /--crf <n>\s+x264 CRF; quantiser scale for mpeg4 \(default 23/);
  }
});

Deno.test("options: the README option tables are generated from the table", async () => {
  const readme = await Deno.readTextFile(join(ROOT, "README.md"));
  assert.equal(
    updateReadme(readme, ["render", "audio-render"]),
    readme,
    "README option tables are stale: run `deno task readme-options`",
  );
});

Deno.test("options: render --print-config shows resolved values and their layers", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, "videoword.jsonc"), `{"render": {"font_size": 22}}`);
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        join(ROOT, "main.ts"),
        "render",
        "gsm8k",
        "--print-config",
        "--crf",
        "30",
      ],
      cwd: dir,
      env: { VIDEOWORD_FFMPEG: "/opt/ffmpeg" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const printed = JSON.parse(new TextDecoder().decode(out.stdout));
    assert.equal(printed.config_file, "./videoword.jsonc");
    assert.equal(printed.options.fontSize, 22);
    assert.equal(printed.options.crf, 30);
    assert.equal(printed.options.ffmpeg, "/opt/ffmpeg");
    assert.equal(printed.options.numSamples, null);
    assert.deepEqual(
      [printed.from.fontSize, printed.from.crf, printed.from.ffmpeg, printed.from.width],
      ["config", "flag", "env", "preset"],
    );
    assert.deepEqual(await Array.fromAsync(Deno.readDir(dir), (e) => e.name), ["videoword.jsonc"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
