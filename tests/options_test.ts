/**
 * The option table: layer precedence, computed defaults, the settings it resolves to, and that
 * `--help`, the README tables and `videoword.jsonc`'s defaults are the table's.
 */
import assert from "node:assert/strict";
import { join, resolve } from "node:path";
import { ConfigError, parseConfigFile } from "../src/config/mod.ts";
import { buildProgram } from "../src/cli/mod.ts";
import { MAX_QP, MIN_QP } from "../src/encode/mod.ts";
import {
  audioRenderSettings,
  type CommandName,
  commandRows,
  type OptionLayers,
  OPTIONS,
  renderSettings,
  resolveOptions,
  type TableCommand,
  updateReadme,
} from "../src/options/mod.ts";
import { ROOT, runVideoword, withTempDir } from "./helpers/video.ts";

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

/** `{ a: { b: value } }` for the dotted key `a.b`. */
function fileWith(dotted: string, value: unknown): string {
  return JSON.stringify(
    dotted.split(".").reduceRight<unknown>((inner, key) => ({ [key]: inner }), value),
  );
}

/** The error a settings file setting `dotted` to `value` raises, or null when it loads. */
function configProblem(dotted: string, value: unknown): ConfigError | null {
  try {
    parseConfigFile(fileWith(dotted, value), "v.jsonc");
    return null;
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    assert.equal(error.key, dotted);
    return error;
  }
}

/** The error the command's real flag raises for `raw`, or null when it parses. */
function flagProblem(command: TableCommand, flags: string, raw: string): Error | null {
  const program = buildProgram();
  const long = flags.split(" ")[0];
  const option = program.commands.find((c) => c.name() === command)!.options
    .find((o) => o.long === long);
  assert.ok(option, `${command} has no ${long}`);
  try {
    option.parseArg ? option.parseArg(raw, undefined) : raw;
    if (option.argChoices && !option.argChoices.includes(raw)) throw new Error("not a choice");
    return null;
  } catch (error) {
    return error as Error;
  }
}

Deno.test("options: a flag and its config key accept and reject exactly the same values", () => {
  let checked = 0;
  const commands = ["render", "audio-render", "submit", "download", "export", "verify", "score"];
  for (const command of commands as TableCommand[]) {
    for (const [key, row] of commandRows(command)) {
      if (!row.config) continue;
      const cases: [unknown, boolean][] = [];
      if (row.type === "integer" || row.type === "number") {
        cases.push([row.min!, true], [row.min! - 1, false]);
        if (row.type === "integer") cases.push([row.min! + 0.5, false]);
        if (row.max !== undefined) cases.push([row.max, true], [row.max + 1, false]);
        // A flag syntax of its own (`--shard-size 1GB`) is the file's text too.
        if (row.parse) cases.push(["1GB", true], ["1 parsec", false]);
      } else if (row.choices) {
        cases.push(...row.choices.map((c): [unknown, boolean] => [c, true]), ["bogus", false]);
      } else if (row.parse) {
        cases.push(["bogus", false]);
      } else {
        continue;
      }
      for (const [value, ok] of cases) {
        const flagName = row.flags.split(" ")[0];
        const what: string = `${command} ${key}: ${flagName} / ${row.config} = ${value}`;
        const flag = flagProblem(command, row.flags, String(value));
        const file = configProblem(row.config, value);
        assert.equal(flag === null, ok, `${what}: flag ${flag?.message}`);
        assert.equal(file === null, ok, `${what}: config ${file?.message}`);
        // One rule, one message: the file's error carries the flag's words.
        if (flag && (row.type === "integer" || row.type === "number") && !row.parse) {
          assert.ok(file!.message.includes(flag.message), `${what}: ${file!.message}`);
        }
        checked++;
      }
    }
  }
  // Every row with a config key and a rule took part (qp, crf, font size, page frames, ...).
  assert.ok(checked >= 60, `only ${checked} cases`);
  // export, verify and score (#21): their config keys take part, with their out-of-range values.
  for (
    const [command, flag, dotted, bad] of [
      ["export", "--shard-samples <n>", "export.shard_samples", 0],
      ["export", "--shard-size <bytes>", "export.shard_size", 0],
      ["verify", "--jobs <n>", "verify.jobs", 1025],
      ["score", "--jobs <n>", "score.jobs", 0],
      ["score", "--flag-cer <x>", "score.flag_cer", 1.5],
      ["score", "--final-frames <n>", "score.final_frames", 101],
    ] as const
  ) {
    assert.ok(flagProblem(command, flag, String(bad)), `${command} ${flag} ${bad}`);
    assert.ok(configProblem(dotted, bad), `${dotted} ${bad}`);
  }
  // The fixed disagreements of issue 21: --crf above 51, a font size of 1-5 px, QP literals.
  assert.ok(flagProblem("render", "--crf <n>", "52") && configProblem("render.crf", 52));
  assert.ok(flagProblem("render", "--font-size <px>", "3") && configProblem("render.font_size", 3));
  assert.ok(!flagProblem("render", "--font-size <px>", "300"));
  assert.ok(!configProblem("render.font_size", 300));
  assert.equal(OPTIONS.qp.min, MIN_QP);
  assert.equal(OPTIONS.qp.max, MAX_QP);
  // An environment variable obeys the same rule.
  assert.throws(
    () => resolveOptions("submit", { env: { CPUS_PER_NODE: "0" } }),
    /CPUS_PER_NODE=0: expected a whole number ≥ 1/,
  );
});

Deno.test("options: an option the other values make the program ignore is one warning line", () => {
  const warnings = (layers: OptionLayers, command: CommandName = "render") =>
    resolveOptions(command, layers).warnings;
  assert.deepEqual(warnings({}), []);
  assert.deepEqual(warnings({ flags: { crf: 30, x264Preset: "fast" } }), [
    "warning: --crf is ignored: the native encoder does not use it (its quality is --qp)",
    "warning: --x264-preset is ignored: the native encoder does not use it " +
    "(it applies to --encoder x264)",
  ]);
  assert.deepEqual(warnings({ flags: { crf: 30, x264Preset: "fast", encoder: "x264" } }), []);
  assert.deepEqual(warnings({ file: { render: { crf: 30, encoder: "x264", qp: 20 } } }), [
    "warning: settings key render.qp is ignored: only the native encoder uses it " +
    "(x264 and mpeg4: --crf)",
  ]);
  assert.deepEqual(warnings({ env: {}, flags: { codec: "mpeg4", crf: 6 } }), []);
  assert.match(warnings({ flags: { codec: "mpeg4", encoder: "x264" } })[0], /--encoder .*mpeg4/);
  assert.match(warnings({ flags: { holdFrames: 5 } })[0], /--hold-frames .*--pace fit/);
  assert.deepEqual(warnings({ flags: { holdFrames: 5, pace: "fit" } }), []);
  assert.match(
    warnings({ flags: { promptPageFrames: 5, longPrompt: "skip" } })[0],
    /--prompt-page-frames .*paginate/,
  );
  assert.match(
    warnings({ flags: { rateRange: { min: 1, max: 2 } } }, "audio-render")[0],
    /--rate-range .*--duration/,
  );
  assert.match(
    warnings({ flags: { ttsAttempts: 2, tts: "espeak" } }, "audio-render")[0],
    /--tts-attempts .*edge/,
  );
  // A preset's values are not the user's; a render-only key in a shared file is not
  // audio-render's option.
  assert.deepEqual(warnings({ preset: { holdFrames: 9 } }), []);
  assert.deepEqual(
    warnings({ file: { render: { prompt_page_frames: 5, long_prompt: "skip" } } }, "audio-render"),
    [],
  );
});

Deno.test("options: render.preset is read as render.x264_preset, with a deprecation line", () => {
  const old = resolveOptions("render", { file: { render: { preset: "fast", encoder: "x264" } } });
  assert.equal(old.values.x264Preset, "fast");
  assert.equal(old.origins.x264Preset, "config");
  assert.deepEqual(old.warnings, [
    "settings key render.preset is deprecated: use render.x264_preset",
  ]);
  const renamed = resolveOptions("render", {
    file: { render: { x264_preset: "slow", preset: "fast", encoder: "x264" } },
  });
  assert.equal(renamed.values.x264Preset, "slow");
  assert.deepEqual(renamed.warnings, []);
  // The model preset is --preset; the file's old key never sets it.
  assert.equal(old.values.preset, "seed");
  assert.equal(configProblem("render.preset", "bogus")?.key, "render.preset");
});

Deno.test("options: --help lists every row of the command with its default", () => {
  const program = buildProgram();
  const names = ["render", "audio-render", "submit", "download", "export", "verify", "score"];
  for (const name of names as TableCommand[]) {
    const command = program.commands.find((c) => c.name() === name)!;
    const help = command.helpInformation();
    for (const [, row] of commandRows(name)) {
      assert.ok(help.includes(row.flags), `${name} --help lacks ${row.flags}`);
    }
    // Every command resolves its settings file and can show the result.
    assert.match(help, /--config <file>/, name);
    assert.match(help, /--print-config/, name);
    if (name === "render" || name === "audio-render") {
      assert.match(help, /--crf <n>\s+x264 CRF; quantiser scale for mpeg4 \(default 23/);
    }
  }
});

Deno.test("options: the README option tables are generated from the table", async () => {
  const readme = await Deno.readTextFile(join(ROOT, "README.md"));
  assert.equal(
    updateReadme(readme, ["render", "audio-render", "download"]),
    readme,
    "README option tables are stale: run `deno task readme-options`",
  );
});

Deno.test("options: render --print-config shows resolved values and their layers", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "videoword.jsonc"), `{"render": {"font_size": 22}}`);
    const out = await runVideoword(["render", "gsm8k", "--print-config", "--crf", "30"], {
      cwd: dir,
      env: { VIDEOWORD_FFMPEG: "/opt/ffmpeg" },
    });
    const stderr = out.stderr;
    assert.equal(out.code, 0, stderr);
    // --crf under the native encoder: said once, on one line.
    assert.equal(
      stderr,
      "videoword: warning: --crf is ignored: the native encoder does not use it " +
        "(its quality is --qp)\n",
    );
    const printed = JSON.parse(out.stdout);
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
  });
});

/** `COMMAND ARGS --print-config` in `dir`: the printed options and origins (exit 0, no stderr). */
async function printedConfig(
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<{ config_file: string | null; options: Record<string, unknown>; from: object }> {
  const out = await runVideoword([...args, "--print-config"], options);
  assert.equal(out.code, 0, out.stderr);
  assert.equal(out.stderr, "");
  return JSON.parse(out.stdout);
}

/** `args` in `dir` is refused before any work: exit 2, one line naming `pattern`. */
async function refused(args: string[], cwd: string, pattern: RegExp): Promise<void> {
  const out = await runVideoword(args, { cwd });
  assert.equal(out.code, 2, `${args.join(" ")}: ${out.stderr}`);
  const lines = out.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, out.stderr);
  assert.match(lines[0], pattern);
}

Deno.test("options: export, verify and score resolve flags > env > config file > default", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(
      join(dir, "videoword.jsonc"),
      JSON.stringify({
        export: { shard_size: "500MiB", shard_samples: 7 },
        verify: { jobs: 3 },
        score: { flag_cer: 0.3, final_frames: 5 },
      }),
    );
    const exported = await printedConfig(
      ["export", "webdataset", "output/gsm8k", "--shard-samples", "9"],
      { cwd: dir },
    );
    assert.equal(exported.config_file, "./videoword.jsonc");
    assert.deepEqual(exported.options, {
      config: null,
      mode: "inference",
      out: null,
      shardSize: 500 * 2 ** 20,
      shardSamples: 9,
    });
    assert.deepEqual(exported.from, {
      config: "default",
      mode: "default",
      out: "default",
      shardSize: "config",
      shardSamples: "flag",
    });
    const verified = await printedConfig(["verify", "output/gsm8k"], {
      cwd: dir,
      env: { VIDEOWORD_FFPROBE: "/opt/ffprobe" },
    });
    assert.deepEqual(verified.options, { config: null, jobs: 3, ffprobe: "/opt/ffprobe" });
    assert.deepEqual(verified.from, { config: "default", jobs: "config", ffprobe: "env" });
    const flagged = await printedConfig(["verify", "output/gsm8k", "--jobs", "5"], { cwd: dir });
    assert.equal(flagged.options.jobs, 5);
    const scored = await printedConfig(["score", "output/gsm8k", "--flag-cer", "0.1"], {
      cwd: dir,
    });
    assert.deepEqual(
      [scored.options.flagCer, scored.options.finalFrames, scored.options.mode],
      [0.1, 5, "rendering"],
    );
    const from = scored.from as Record<string, string>;
    assert.deepEqual([from.flagCer, from.finalFrames, from.mode], ["flag", "config", "default"]);
    // --config names another file: score no longer reads ./videoword.jsonc implicitly.
    const other = join(dir, "other.jsonc");
    await Deno.writeTextFile(other, `{ "score": { "jobs": 2 } }`);
    const named = await printedConfig(["score", "output/gsm8k", "--config", other], { cwd: dir });
    assert.equal(named.config_file, other);
    assert.deepEqual([named.options.jobs, named.options.finalFrames], [2, 3]);
    // Out of range, as a flag or in the file: exit 2, one line.
    await refused(["verify", "x", "--jobs", "2000"], dir, /--jobs .*at most 1024/);
    await refused(["score", "x", "--flag-cer", "1.5"], dir, /--flag-cer .*at most 1/);
    await refused(["export", "ltx", "x", "--shard-size", "0"], dir, /--shard-size .*bytes/);
    await Deno.writeTextFile(other, `{ "export": { "shard_samples": 0 } }`);
    await refused(
      ["export", "ltx", "x", "--config", other],
      dir,
      /other\.jsonc:1:\d+: key "export\.shard_samples": expected a whole number ≥ 1, got 0/,
    );
  });
});
