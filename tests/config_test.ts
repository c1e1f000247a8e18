import assert from "node:assert/strict";
import { join } from "node:path";
import {
  ConfigError,
  defaultConfig,
  exampleConfig,
  loadConfig,
  loadConfigFile,
  parseConfig,
  parseConfigFile,
} from "../src/config/mod.ts";
import {
  resolveOptions,
  submitSettings,
  TABLE_COMMANDS,
  tableOf,
  updateReadme,
} from "../src/options/mod.ts";
import { runVideoword, withTempDir } from "./helpers/video.ts";
import type { SubmitSettings } from "../src/slurm/mod.ts";

/** `submit`'s settings from a settings file's own values, the environment and flags. */
function resolveSubmit(
  file: Record<string, unknown>,
  flags: Partial<SubmitSettings>,
  env: Record<string, string>,
): SubmitSettings {
  return submitSettings(resolveOptions("submit", { file, env, flags }).values, "/w");
}

const ROOT = new URL("..", import.meta.url).pathname;

function configError(text: string): ConfigError {
  try {
    parseConfig(text, "videoword.jsonc");
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${error}`);
    return error;
  }
  throw new Error("no error raised");
}

Deno.test("config: comments and trailing commas parse over the defaults", () => {
  const { config, values } = parseConfigFile(
    `// top comment\n{\n  /* block */ "slurm": { "nodes": 20, "partition": "gpu", },\n` +
      `  "templates": { "gsm8k": { "inference": "Q: {prompt}" } },\n}\n`,
    "v.jsonc",
  );
  assert.deepEqual(values.slurm, { nodes: 20, partition: "gpu" });
  const submit = resolveSubmit(values, {}, {});
  assert.equal(submit.nodes, 20);
  assert.equal(submit.samplesPerNode, resolveSubmit({}, {}, {}).samplesPerNode);
  assert.deepEqual(config.templates, { gsm8k: { inference: "Q: {prompt}" } });
  assert.equal(config.source, "v.jsonc");
});

Deno.test("config: syntax error names file, line and column", () => {
  const error = configError(`{\n  "slurm": {\n    "nodes": 3,,\n  }\n}`);
  assert.match(error.message, /^videoword\.jsonc:3:16: syntax error: /);
  assert.equal(error.line, 3);
});

Deno.test("config: unknown key names its line and dotted path", () => {
  const error = configError(`{\n  "slurm": {\n    "nodes": 3,\n    "samples_per_nod": 5\n  }\n}`);
  assert.equal(error.line, 4);
  assert.equal(error.key, "slurm.samples_per_nod");
  assert.match(error.message, /^videoword\.jsonc:4:5: key "slurm\.samples_per_nod": unknown key/);
  assert.equal(configError(`{"bogus": 1}`).key, "bogus");
});

Deno.test("config: wrong types and ranges name the key", () => {
  const cases: Array<[string, string, RegExp]> = [
    [`{"slurm": {"nodes": "20"}}`, "slurm.nodes", /expected a whole number ≥ 1, got "20"/],
    [`{"slurm": {"nodes": 0}}`, "slurm.nodes", /expected a whole number ≥ 1, got 0/],
    [`{"slurm": {"cpus_per_task": 2.5}}`, "slurm.cpus_per_task", /expected a whole number/],
    [`{"slurm": {"time": "forever"}}`, "slurm.time", /HH:MM:SS/],
    [`{"slurm": {"sbatch_args": ["--a", 3]}}`, "slurm.sbatch_args", /item 1 is not/],
    [`{"render": {"crf": 99}}`, "render.crf", /from 0|at most 51, got 99/],
    [`{"render": {"long_prompt": "wrap"}}`, "render.long_prompt", /one of paginate/],
    [`{"render": {"codec": "libx265"}}`, "render.codec", /one of h264, mpeg4/],
    [`{"templates": {"gsm8k": {"inference": 1}}}`, "templates.gsm8k.inference", /string/],
    [`{"templates": {"gsm8k": {"audio": "x"}}}`, "templates.gsm8k.audio", /unknown key/],
    [`{"templates": {"gsm8K": {}}}`, "templates.gsm8K", /unknown key \(known: gsm8k, /],
    [`{"base_dir": null}`, "base_dir", /expected a string, got null/],
  ];
  for (const [text, key, message] of cases) {
    const error = configError(text);
    assert.equal(error.key, key, text);
    assert.match(error.message, message, text);
  }
  const nulls = parseConfigFile(`{"slurm": {"nodes": null, "partition": null}}`, "x").values;
  assert.equal(resolveSubmit(nulls, {}, {}).nodes, null);
});

Deno.test("config: loadConfig uses ./videoword.jsonc when present, else defaults", async () => {
  await withTempDir(async (dir) => {
    const none = await loadConfig(undefined, { cwd: dir });
    assert.deepEqual(none, defaultConfig());
    await Deno.writeTextFile(join(dir, "videoword.jsonc"), `{"render": {"crf": 30}} // c`);
    const found = await loadConfigFile(undefined, { cwd: dir });
    assert.deepEqual(found.values, { render: { crf: 30 } });
    assert.equal(found.config.source, `${dir}/videoword.jsonc`);
    await assert.rejects(() => loadConfig(join(dir, "nope.jsonc")), /cannot read config/);
    await Deno.writeTextFile(join(dir, "bad.jsonc"), `{\n"render": {"crf": "high"}}`);
    await assert.rejects(
      () => loadConfig(join(dir, "bad.jsonc")),
      /bad\.jsonc:2:19: key "render\.crf"/,
    );
  });
});

Deno.test("config: videoword.example.jsonc is generated from the option table", async () => {
  const text = await Deno.readTextFile(join(ROOT, "videoword.example.jsonc"));
  assert.equal(
    text,
    exampleConfig(),
    "videoword.example.jsonc is stale: run `deno task example-config`",
  );
  // Every row with a config key is in it, and nothing else besides templates and datasets.
  const { values } = parseConfigFile(text, "videoword.example.jsonc");
  const documented = (tree: Record<string, unknown>, prefix = ""): string[] =>
    Object.entries(tree).flatMap(([key, value]) =>
      value && typeof value === "object" && !Array.isArray(value) && !["templates", "datasets"]
          .includes(key)
        ? documented(value as Record<string, unknown>, `${prefix}${key}.`)
        : [`${prefix}${key}`]
    );
  const keyed = new Set(
    TABLE_COMMANDS.flatMap((command) =>
      Object.values(tableOf(command)).flatMap((row) => row.config ?? [])
    ),
  );
  assert.deepEqual(documented(values).sort(), [...keyed, "datasets", "templates"].sort());
});

Deno.test("config: the example's values are the defaults (resolved values equal no file's)", () => {
  const { values } = parseConfigFile(exampleConfig(), "videoword.example.jsonc");
  for (const command of ["render", "audio-render"] as const) {
    const withExample = resolveOptions(command, { file: values });
    assert.deepEqual(withExample.values, resolveOptions(command).values, command);
    assert.deepEqual(withExample.warnings, [], command);
  }
  for (const command of ["submit", "download", "export", "verify", "score"] as const) {
    const withExample = resolveOptions(command, { file: values });
    assert.deepEqual(withExample.values, resolveOptions(command).values, command);
    assert.deepEqual(withExample.warnings, [], command);
  }
});

Deno.test("config: with the example as ./videoword.jsonc, --print-config prints the defaults", async () => {
  await withTempDir(async (dir) => {
    const printed = async (command: string) => {
      const args = {
        submit: [],
        download: [],
        export: ["diffsynth", "output/gsm8k"],
        verify: ["output/gsm8k"],
        score: ["output/gsm8k"],
      }[command] ?? ["gsm8k"];
      const run = await runVideoword([command, ...args, "--print-config"], { cwd: dir });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stderr, "");
      return JSON.parse(run.stdout);
    };
    const bare = {
      render: await printed("render"),
      "audio-render": await printed("audio-render"),
      submit: await printed("submit"),
      download: await printed("download"),
      export: await printed("export"),
      verify: await printed("verify"),
      score: await printed("score"),
    };
    await Deno.copyFile(join(ROOT, "videoword.example.jsonc"), join(dir, "videoword.jsonc"));
    for (const [command, before] of Object.entries(bare)) {
      const after = await printed(command);
      assert.equal(after.config_file, "./videoword.jsonc");
      assert.deepEqual(after.options, before.options, command);
    }
  });
});

Deno.test("config: submit precedence flags > env > config > defaults", () => {
  const file = {
    base_dir: "/cfg/out",
    slurm: {
      nodes: 5,
      samples_per_node: 300,
      cpus_per_task: 4,
      partition: "cfgpart",
      time: "1:00:00",
    },
  };
  const fromConfig = resolveSubmit(file, {}, {});
  assert.equal(fromConfig.nodes, 5);
  assert.equal(fromConfig.samplesPerNode, 300);
  assert.equal(fromConfig.partition, "cfgpart");
  assert.equal(fromConfig.baseDir, "/cfg/out");
  assert.equal(fromConfig.logsDir, "/cfg/out/logs");
  assert.equal(fromConfig.dataDir, "/w/data");
  const env = {
    NUM_NODES: "7",
    CPUS_PER_NODE: "16",
    SAMPLES_PER_NODE: "1000",
    PARTITION: "envpart",
    TIME_LIMIT: "02:00:00",
    BASE_DIR: "envout",
  };
  const fromEnv = resolveSubmit(file, {}, env);
  assert.deepEqual(
    [fromEnv.nodes, fromEnv.cpusPerTask, fromEnv.samplesPerNode, fromEnv.partition, fromEnv.time],
    [7, 16, 1000, "envpart", "02:00:00"],
  );
  assert.equal(fromEnv.baseDir, "/w/envout");
  const fromFlags = resolveSubmit(file, {
    nodes: 9,
    cpusPerTask: 2,
    samplesPerNode: 10,
    partition: "flag",
    time: "0:30:00",
    baseDir: "/f",
  }, env);
  assert.deepEqual(
    [fromFlags.nodes, fromFlags.cpusPerTask, fromFlags.samplesPerNode, fromFlags.partition],
    [9, 2, 10, "flag"],
  );
  assert.equal(fromFlags.time, "0:30:00");
  assert.equal(fromFlags.baseDir, "/f");
  const defaults = resolveSubmit({}, {}, {});
  assert.equal(defaults.nodes, null);
  assert.equal(defaults.samplesPerNode, 10000);
  assert.equal(defaults.time, "24:00:00");
  assert.equal(defaults.baseDir, "/w/output");
  assert.equal(defaults.logsDir, "/w/output/logs");
  assert.deepEqual(defaults.sbatchArgs, []);
  assert.throws(
    () => resolveSubmit(file, {}, { NUM_NODES: "many" }),
    /NUM_NODES=many: expected a whole number ≥ 1/,
  );
  assert.throws(
    () => resolveSubmit(file, {}, { TIME_LIMIT: "soon" }),
    /TIME_LIMIT=soon: expected HH:MM:SS/,
  );
});

Deno.test("config: submit's options are in the README table the option table generates", async () => {
  const readme = await Deno.readTextFile(join(ROOT, "README.md"));
  assert.equal(
    updateReadme(readme, ["submit", "export", "verify", "score"]),
    readme,
    "README option tables are stale: run `deno task readme-options`",
  );
});

Deno.test("config: submit --print-config shows flags over env over file", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(
      join(dir, "videoword.jsonc"),
      `{ // cluster\n "slurm": {"nodes": 3, "partition": "filepart", "cpus_per_task": 2}}`,
    );
    const out = await runVideoword(["submit", "--print-config", "--nodes", "11"], {
      cwd: dir,
      env: { NUM_NODES: "4", PARTITION: "envpart" },
    });
    assert.equal(out.code, 0, out.stderr);
    const printed = JSON.parse(out.stdout);
    assert.equal(printed.config_file, "./videoword.jsonc");
    assert.deepEqual(
      [printed.options.nodes, printed.options.partition, printed.options.cpusPerTask],
      [11, "envpart", 2],
    );
    assert.deepEqual(
      [printed.from.nodes, printed.from.partition, printed.from.cpusPerTask, printed.from.time],
      ["flag", "env", "config", "default"],
    );
    assert.equal(printed.options.baseDir, "./output");
    await Deno.writeTextFile(join(dir, "videoword.jsonc"), `{\n "slurm": {\n  "node": 3}}`);
    const bad = await runVideoword(["submit", "--print-config"], { cwd: dir });
    assert.equal(bad.code, 2, "a bad settings file is an option error");
    assert.match(bad.stderr, /videoword\.jsonc:3:3: key "slurm\.node"/);
  });
});
