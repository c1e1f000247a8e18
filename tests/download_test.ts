import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DATASET_KEYS, getDataset } from "../src/datasets/mod.ts";
import { readDownloadManifest } from "../src/hub/mod.ts";
import { FIXTURE_ROWS } from "./helpers/hub_fixtures.ts";
import { offlineHubEnv, type TestHub, withTestHub } from "./helpers/test_hub.ts";
import { type CliResult, runVideoword } from "./helpers/video.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TOKEN = "hf_cliSecretTokenXYZ987";

/**
 * `deno run -A main.ts ...args` against the test Hub, with no token unless `env` sets one
 * (working directory: the repository, or `cwd`).
 */
function videoword(
  args: string[],
  dir: string,
  env: Record<string, string> = {},
  cwd = ROOT,
): Promise<CliResult> {
  return runVideoword(args, {
    cwd,
    // Keep the developer's own Hugging Face token and settings out of the tests.
    env: offlineHubEnv(dir, { VIDEOWORD_RETRY_BASE_MS: "1", ...env }),
  });
}

function fileFetches(hub: TestHub): number {
  return hub.requests.filter((r) => r.server === "cdn").length;
}

Deno.test("download all: every dataset and manifest lands; the token is sent, never printed", async () => {
  await withTestHub({ token: TOKEN, treePageSize: 3 }, async (hub, dir) => {
    const data = join(dir, "data");
    const run = await videoword(["download", "--data-dir", data], dir, {
      HF_ENDPOINT: hub.endpoint,
      HF_TOKEN: TOKEN,
    });
    assert.equal(run.code, 0, run.stderr);
    for (const key of DATASET_KEYS) {
      const manifest = await readDownloadManifest(data, key);
      assert.ok(manifest, key);
      assert.equal(manifest.rowCount, FIXTURE_ROWS[key]);
      assert.equal(manifest.commit, hub.commit(getDataset(key).repo!));
      assert.match(run.stdout, new RegExp(`^${key}: \\d+ file\\(s\\), .* fetched, `, "m"));
    }
    assert.ok(
      hub.requests.filter((r) => r.server === "hub").every((r) =>
        r.authorization === `Bearer ${TOKEN}`
      ),
    );
    assert.ok(
      hub.requests.filter((r) => r.server === "cdn").every((r) => r.authorization === null),
    );
    assert.ok(!run.stdout.includes(TOKEN) && !run.stderr.includes(TOKEN));

    // The token file the HF tools use works too (HF_TOKEN unset).
    const tokenFile = join(dir, "token");
    await Deno.writeTextFile(tokenFile, `${TOKEN}\n`);
    const viaFile = await videoword(["download", "gsm8k", "--data-dir", data, "--force"], dir, {
      HF_ENDPOINT: hub.endpoint,
      HF_TOKEN_PATH: tokenFile,
    });
    assert.equal(viaFile.code, 0, viaFile.stderr);
    assert.ok(!viaFile.stdout.includes(TOKEN) && !viaFile.stderr.includes(TOKEN));

    // A wrong token or none: one line on stderr, exit 1, saying what to do.
    const wrong = await videoword(["download", "gsm8k", "--data-dir", data, "--force"], dir, {
      HF_ENDPOINT: hub.endpoint,
      HF_TOKEN: `${TOKEN}_expired`,
    });
    assert.equal(wrong.code, 1);
    assert.equal(wrong.stderr.trim().split("\n").length, 1, wrong.stderr);
    assert.match(wrong.stderr, /^videoword: gsm8k: .*rejected the token in HF_TOKEN \(401/);
    assert.ok(!wrong.stdout.includes(TOKEN) && !wrong.stderr.includes(TOKEN));
    const none = await videoword(["download", "gsm8k", "--data-dir", data, "--force"], dir, {
      HF_ENDPOINT: hub.endpoint,
    });
    assert.equal(none.code, 1);
    assert.match(none.stderr, /needs authentication \(401\).*accept its terms.*set HF_TOKEN/);
  });
});

Deno.test("--list shows what is present; a complete download is skipped unless --force", async () => {
  await withTestHub({ datasets: ["gsm8k", "tinystories"] }, async (hub, dir) => {
    const data = join(dir, "data");
    const env = { HF_ENDPOINT: hub.endpoint };
    const empty = await videoword(["download", "--list", "--data-dir", data], dir, env);
    assert.equal(empty.code, 0, empty.stderr);
    for (const key of DATASET_KEYS) {
      const spec = getDataset(key);
      assert.match(
        empty.stdout,
        new RegExp(
          `^${key} +${spec.repo} +${spec.language} +${Object.keys(spec.splits).join(",")} +` +
            `${spec.approxSize} +${spec.license} +not downloaded$`,
          "m",
        ),
      );
    }
    assert.equal(hub.requests.length, 0); // listing is local only

    const first = await videoword(["download", "gsm8k", "--data-dir", data], dir, env);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(fileFetches(hub), 1);
    await Deno.mkdir(join(data, "tinystories", "data"), { recursive: true });
    await Deno.writeFile(
      join(data, "tinystories", "data", "x.parquet.incomplete"),
      new Uint8Array(9),
    );
    const listed = await videoword(["download", "--list", "--data-dir", data], dir, env);
    const commit = hub.commit("openai/gsm8k").slice(0, 12);
    assert.match(listed.stdout, new RegExp(`^gsm8k .* present: 300 rows, main @ ${commit}$`, "m"));
    assert.match(listed.stdout, /^tinystories .* partial \(run download again to resume\)$/m);

    const again = await videoword(["download", "gsm8k", "--data-dir", data], dir, env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(
      again.stdout,
      /^gsm8k: already downloaded \(300 rows, main @ [0-9a-f]{12}\); use --force/m,
    );
    assert.equal(fileFetches(hub), 1);

    const forced = await videoword(["download", "gsm8k", "--data-dir", data, "--force"], dir, env);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(fileFetches(hub), 2);
    assert.match(forced.stdout, /^gsm8k: 1 file\(s\), 99\.\d KB fetched, 300 rows/m);
  });
});

Deno.test("download honours videoword.jsonc's data_dir, where render then finds the rows (#21)", async () => {
  await withTestHub({ datasets: ["gsm8k"] }, async (hub, dir) => {
    const env = { HF_ENDPOINT: hub.endpoint };
    // ./videoword.jsonc of the working directory, no --data-dir: the file's folder is used.
    await Deno.writeTextFile(join(dir, "videoword.jsonc"), `{ "data_dir": "scratch/vw" }`);
    const got = await videoword(["download", "gsm8k"], dir, env, dir);
    assert.equal(got.code, 0, got.stderr);
    assert.equal((await readDownloadManifest(join(dir, "scratch/vw"), "gsm8k"))?.rowCount, 300);
    assert.equal(await readDownloadManifest(join(dir, "data"), "gsm8k"), null);
    const printed = await videoword(["download", "--print-config"], dir, env, dir);
    assert.equal(printed.code, 0, printed.stderr);
    const config = JSON.parse(printed.stdout);
    assert.deepEqual([config.options.dataDir, config.from.dataDir], ["scratch/vw", "config"]);
    assert.deepEqual([config.options.concurrency, config.from.concurrency], [4, "default"]);
    const bad = await videoword(["download", "--concurrency", "0"], dir, env, dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--concurrency.*expected a whole number ≥ 1, at most 64/);
    const listed = await videoword(["download", "--list"], dir, env, dir);
    assert.match(listed.stdout, /^gsm8k .* present: 300 rows, /m);
    const render = await videoword(
      ["render", "gsm8k", "--num-samples", "1", "--base-dir", "out", "--no-progress"],
      dir,
      env,
      dir,
    );
    assert.equal(render.code, 0, render.stderr);
    assert.ok((await Deno.stat(join(dir, "out/gsm8k/video/gsm8k_000000.mp4"))).isFile);

    // --config names the file; --data-dir still wins over it.
    const other = join(dir, "other.jsonc");
    await Deno.writeTextFile(other, JSON.stringify({ data_dir: join(dir, "from_config") }));
    const viaConfig = await videoword(["download", "gsm8k", "--config", other], dir, env);
    assert.equal(viaConfig.code, 0, viaConfig.stderr);
    assert.ok(await readDownloadManifest(join(dir, "from_config"), "gsm8k"));
    const flag = join(dir, "from_flag");
    const viaFlag = await videoword(
      ["download", "gsm8k", "--config", other, "--data-dir", flag],
      dir,
      env,
    );
    assert.equal(viaFlag.code, 0, viaFlag.stderr);
    assert.ok(await readDownloadManifest(flag, "gsm8k"));
  });
});

Deno.test("under 'all' a failing dataset does not stop the others; exit 1 with a summary", async () => {
  const hosted = DATASET_KEYS.filter((key) => key !== "belle_school_math");
  await withTestHub({ datasets: hosted }, async (hub, dir) => {
    const data = join(dir, "data");
    hub.inject({ kind: "drop", path: "main/train-00000-of-00001.parquet", afterBytes: 30_000 });
    const run = await videoword(["download", "all", "--data-dir", data], dir, {
      HF_ENDPOINT: hub.endpoint,
    });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^videoword: belle_school_math: .*not found \(404\)/m);
    assert.match(
      run.stderr,
      new RegExp(
        `^videoword: 1 of ${DATASET_KEYS.length} datasets failed \\(belle_school_math\\); ` +
          `the others are ready$`,
        "m",
      ),
    );
    // The cut transfer was retried and resumed along the way.
    assert.match(run.stderr, /broke off at 30000 bytes.*retrying in/);
    for (const key of hosted) assert.ok(await readDownloadManifest(data, key), key);
    assert.equal(await readDownloadManifest(data, "belle_school_math"), null);

    const unknown = await videoword(["download", "gsm9k", "--data-dir", data], dir, {
      HF_ENDPOINT: hub.endpoint,
    });
    assert.equal(unknown.code, 1);
    assert.equal(
      unknown.stderr.trim(),
      `videoword: unknown dataset 'gsm9k' (valid: ${DATASET_KEYS.join(", ")})`,
    );
  });
});

Deno.test("download then render works for every dataset", async () => {
  await withTestHub({}, async (hub, dir) => {
    const data = join(dir, "data");
    const base = join(dir, "out");
    const got = await videoword(["download", "--data-dir", data], dir, {
      HF_ENDPOINT: hub.endpoint,
    });
    assert.equal(got.code, 0, got.stderr);
    for (const key of DATASET_KEYS) {
      const render = await videoword([
        "render",
        key,
        "--data-dir",
        data,
        "--base-dir",
        base,
        "--num-samples",
        "2",
        "--mode",
        "both",
      ], dir);
      assert.equal(render.code, 0, `${key}: ${render.stderr}`);
      const manifest = join(base, key, `${key}_inference_video_data_0.jsonl`);
      const lines = (await Deno.readTextFile(manifest)).split("\n").filter((line) => line.trim());
      assert.ok(lines.length > 0, key);
      for (const line of lines) {
        const entry = JSON.parse(line);
        assert.equal(entry.dataset, key);
        assert.ok((await Deno.stat(entry.video_path)).size > 0, entry.video_path);
      }
    }
  });
});
