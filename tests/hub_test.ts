import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { getDataset, globToRegExp, listDatasets, matchesAnyGlob } from "../src/datasets/mod.ts";
import {
  downloadDataset,
  HubClient,
  hubConfigFromEnv,
  HubError,
  localRepoPath,
  nextLinkUrl,
  readDownloadManifest,
  unsafeRepoPathReason,
} from "../src/hub/mod.ts";
import { parseRetryAfter, RetryableError, withRetry } from "../src/retry/mod.ts";
import { createProgress, type Progress } from "../src/progress/mod.ts";
import { FIXTURE_ROWS } from "./helpers/hub_fixtures.ts";
import { type TestHub, withTestHub } from "./helpers/test_hub.ts";

const TOKEN = "hf_testTokenDoNotPrint123";
const GSM8K = "main/train-00000-of-00001.parquet";

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function clientFor(hub: TestHub, token: string | null = null, maxRetries = 4): HubClient {
  return new HubClient({ endpoint: hub.endpoint, token }, { baseDelayMs: 1, maxRetries });
}

const quiet = () => createProgress({ mode: "none", write: () => {} });

/** Requests that served (part of) the body of `path`: CDN for LFS files, resolve for others. */
function bodyRequests(hub: TestHub, path: string) {
  return hub.requests.filter((r) =>
    r.path.endsWith(`/${path}`) && (r.server === "cdn" || r.status === 200 || r.status === 206)
  );
}

Deno.test("globs match one segment with * and span segments with **", () => {
  assert.ok(matchesAnyGlob("main/train-00000-of-00001.parquet", ["main/train-*.parquet"]));
  assert.ok(!matchesAnyGlob("main/test-00000-of-00001.parquet", ["main/train-*.parquet"]));
  assert.ok(!matchesAnyGlob("socratic/train-00000-of-00001.parquet", ["main/train-*.parquet"]));
  assert.ok(!matchesAnyGlob("main/x/train-0.parquet", ["main/train-*.parquet"]));
  assert.ok(matchesAnyGlob("a/b/c.json", ["**/*.json"]));
  assert.ok(matchesAnyGlob("c.json", ["**/*.json"]));
  assert.ok(globToRegExp("school_math_0.25M.json").test("school_math_0.25M.json"));
  assert.ok(!globToRegExp("school_math_0.25M.json").test("school_math_0x25M.json"));
  assert.ok(globToRegExp("data/train-0000[0-3]-*.parquet").test("data/train-00002-of-4.parquet"));
});

Deno.test("unsafe repo paths are refused", () => {
  for (const bad of ["../x", "a/../../x", "/etc/passwd", "a\\..\\x", "C:/x", "a//b", "./a", ""]) {
    assert.ok(unsafeRepoPathReason(bad), bad);
    assert.throws(() => localRepoPath("/data/gsm8k", bad), /refusing/);
  }
  assert.equal(unsafeRepoPathReason("main/train-00000-of-00001.parquet"), null);
  assert.equal(localRepoPath("/data/gsm8k", "main/a.parquet"), "/data/gsm8k/main/a.parquet");
});

Deno.test("Link headers, Retry-After and HF config are parsed like the Hub tools do", () => {
  const base = "https://hub.example/api/datasets/a/b/tree/x?recursive=true";
  assert.equal(
    nextLinkUrl('<https://hub.example/api/x?cursor=abc>; rel="next"', base),
    "https://hub.example/api/x?cursor=abc",
  );
  assert.equal(
    nextLinkUrl('</api/x?cursor=2>; rel="next"', base),
    "https://hub.example/api/x?cursor=2",
  );
  assert.equal(nextLinkUrl('<https://hub.example/p>; rel="prev"', base), null);
  assert.equal(nextLinkUrl(null, base), null);
  assert.equal(parseRetryAfter("3"), 3000);
  assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6000);
  assert.equal(parseRetryAfter("soon"), null);

  const home = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(join(home, "token"), "hf_fromHome\n");
    Deno.writeTextFileSync(join(home, "other"), "hf_fromPath");
    assert.deepEqual(hubConfigFromEnv({ env: { HF_HOME: home } }), {
      endpoint: "https://huggingface.co",
      token: "hf_fromHome",
      basicAuth: null,
    });
    assert.equal(
      hubConfigFromEnv({ env: { HF_HOME: home, HF_TOKEN_PATH: join(home, "other") } }).token,
      "hf_fromPath",
    );
    const env = { HF_HOME: home, HF_TOKEN: "hf_env", HF_ENDPOINT: "http://127.0.0.1:9/" };
    assert.deepEqual(hubConfigFromEnv({ env }), {
      endpoint: "http://127.0.0.1:9",
      token: "hf_env",
      basicAuth: null,
    });
    assert.equal(hubConfigFromEnv({ env: { HF_HOME: join(home, "none") } }).token, null);
  } finally {
    Deno.removeSync(home, { recursive: true });
  }
});

Deno.test("withRetry retries RetryableError with backoff, fails other errors at once", async () => {
  let calls = 0;
  const value = await withRetry(() => {
    calls++;
    if (calls < 3) throw new RetryableError("flaky");
    return Promise.resolve(42);
  }, { baseDelayMs: 1 });
  assert.equal(value, 42);
  assert.equal(calls, 3);
  calls = 0;
  await assert.rejects(
    withRetry(() => {
      calls++;
      throw new RetryableError("always");
    }, { baseDelayMs: 1, maxRetries: 2 }),
    /always \(gave up after 3 attempts\)/,
  );
  assert.equal(calls, 3);
  calls = 0;
  await assert.rejects(
    withRetry(() => {
      calls++;
      throw new Error("fatal");
    }, { baseDelayMs: 1 }),
    /fatal/,
  );
  assert.equal(calls, 1);
});

Deno.test("all five datasets land with their files only, manifest sha256 and row counts", async () => {
  await withTestHub({ token: TOKEN, treePageSize: 2 }, async (hub, dir) => {
    const dataDir = join(dir, "data");
    const client = clientFor(hub, TOKEN);
    for (const spec of listDatasets()) {
      const result = await downloadDataset(client, spec, { dataDir, progress: quiet() });
      assert.equal(result.status, "downloaded");
      const manifest = await readDownloadManifest(dataDir, spec.key);
      assert.ok(manifest);
      assert.deepEqual(manifest, result.manifest);
      assert.equal(manifest.repo, spec.repo!);
      assert.equal(manifest.revision, "main");
      assert.equal(manifest.commit, hub.commit(spec.repo!));
      assert.equal(manifest.rowCount, FIXTURE_ROWS[spec.key]);
      const train = hub.trainPaths(spec.repo!);
      assert.deepEqual(manifest.files.map((f) => f.path), train);
      for (const file of manifest.files) {
        const bytes = await Deno.readFile(join(dataDir, spec.key, file.path));
        const hosted = hub.files(spec.repo!).get(file.path)!;
        assert.deepEqual(bytes, hosted.bytes);
        assert.equal(file.size, bytes.length);
        assert.equal(file.sha256, sha256(bytes));
      }
      // Only the train split: no README, .gitattributes, test or socratic files, no leftovers.
      const local: string[] = [];
      const walk = async (d: string, prefix: string) => {
        for await (const e of Deno.readDir(d)) {
          if (e.isDirectory) await walk(join(d, e.name), `${prefix}${e.name}/`);
          else local.push(`${prefix}${e.name}`);
        }
      };
      await walk(join(dataDir, spec.key), "");
      assert.deepEqual(local.sort(), [...train, "manifest.json"].sort());
    }
    // Tree pages were followed via Link headers; the token went to the Hub but never to the CDN.
    assert.ok(hub.requests.some((r) => r.query.includes("cursor=")));
    const hubSide = hub.requests.filter((r) => r.server === "hub");
    assert.ok(hubSide.every((r) => r.authorization === `Bearer ${TOKEN}`));
    const cdn = hub.requests.filter((r) => r.server === "cdn");
    assert.ok(cdn.length >= 9);
    assert.ok(cdn.every((r) => r.authorization === null));
    assert.ok(!hub.requests.some((r) => r.path.endsWith("README.md")));
  });
});

Deno.test("a connection cut mid-file is resumed with a Range request", async () => {
  await withTestHub({ datasets: ["gsm8k"] }, async (hub, dir) => {
    const size = hub.files("openai/gsm8k").get(GSM8K)!.bytes.length;
    const cut = Math.floor(size / 2);
    hub.inject({ kind: "drop", path: GSM8K, afterBytes: cut });
    const result = await downloadDataset(clientFor(hub), getDataset("gsm8k"), {
      dataDir: join(dir, "data"),
      progress: quiet(),
    });
    const seen = bodyRequests(hub, GSM8K);
    assert.equal(seen.length, 2);
    assert.equal(seen[0].range, null);
    assert.equal(seen[1].range, `bytes=${cut}-`);
    assert.equal(seen[1].status, 206);
    const served = seen.reduce((sum, r) => sum + r.bodyBytes, 0);
    assert.equal(served, size);
    assert.ok(served < 2 * size);
    assert.equal(result.transferred, size);
    assert.equal(result.manifest.files[0].sha256, hub.files("openai/gsm8k").get(GSM8K)!.sha256);
  });
});

Deno.test("an interrupted earlier run's .incomplete file is resumed, not refetched", async () => {
  await withTestHub({ datasets: ["gsm8k"] }, async (hub, dir) => {
    const dataDir = join(dir, "data");
    const bytes = hub.files("openai/gsm8k").get(GSM8K)!.bytes;
    const partial = 40_000;
    await Deno.mkdir(join(dataDir, "gsm8k", "main"), { recursive: true });
    await Deno.writeFile(join(dataDir, "gsm8k", `${GSM8K}.incomplete`), bytes.subarray(0, partial));
    const result = await downloadDataset(clientFor(hub), getDataset("gsm8k"), {
      dataDir,
      progress: quiet(),
    });
    const seen = bodyRequests(hub, GSM8K);
    assert.equal(seen.length, 1);
    assert.equal(seen[0].range, `bytes=${partial}-`);
    assert.equal(seen[0].bodyBytes, bytes.length - partial);
    assert.equal(result.transferred, bytes.length - partial);
    assert.deepEqual(await Deno.readFile(join(dataDir, "gsm8k", GSM8K)), bytes);
    await assert.rejects(Deno.stat(join(dataDir, "gsm8k", `${GSM8K}.incomplete`)));
  });
});

Deno.test("a server that ignores Range (200) makes the download start over", async () => {
  await withTestHub({ datasets: ["gsm8k"] }, async (hub, dir) => {
    const dataDir = join(dir, "data");
    const bytes = hub.files("openai/gsm8k").get(GSM8K)!.bytes;
    await Deno.mkdir(join(dataDir, "gsm8k", "main"), { recursive: true });
    // A stale partial with wrong bytes: the 200 must replace it, not be appended to it.
    await Deno.writeFile(join(dataDir, "gsm8k", `${GSM8K}.incomplete`), new Uint8Array(1000));
    hub.inject({ kind: "ignoreRange", path: GSM8K });
    await downloadDataset(clientFor(hub), getDataset("gsm8k"), { dataDir, progress: quiet() });
    const seen = bodyRequests(hub, GSM8K);
    assert.equal(seen.length, 1);
    assert.equal(seen[0].status, 200);
    assert.deepEqual(await Deno.readFile(join(dataDir, "gsm8k", GSM8K)), bytes);
  });
});

Deno.test("a corrupted transfer is detected by sha256 and fetched again", async () => {
  await withTestHub({ datasets: ["gsm8k"] }, async (hub, dir) => {
    const dataDir = join(dir, "data");
    hub.inject({ kind: "corrupt", path: GSM8K });
    const retries: string[] = [];
    const progress = createProgress({ mode: "lines", write: (line) => retries.push(line) });
    await downloadDataset(clientFor(hub), getDataset("gsm8k"), { dataDir, progress });
    assert.equal(bodyRequests(hub, GSM8K).length, 2);
    assert.ok(retries.some((line) => /corrupted download \(sha256/.test(line)), retries.join("\n"));
    const bytes = await Deno.readFile(join(dataDir, "gsm8k", GSM8K));
    assert.equal(sha256(bytes), hub.files("openai/gsm8k").get(GSM8K)!.sha256);
  });
});

Deno.test("non-LFS files are served by the Hub and verified by size and git blob sha1", async () => {
  await withTestHub({ datasets: ["belle_school_math"], lfs: () => false }, async (hub, dir) => {
    const dataDir = join(dir, "data");
    const path = "school_math_0.25M.json";
    hub.inject({ kind: "corrupt", path });
    const result = await downloadDataset(clientFor(hub), getDataset("belle_school_math"), {
      dataDir,
      progress: quiet(),
    });
    assert.ok(!hub.requests.some((r) => r.server === "cdn"));
    assert.equal(bodyRequests(hub, path).length, 2);
    const hosted = hub.files("BelleGroup/school_math_0.25M").get(path)!;
    assert.equal(result.manifest.files[0].sha256, hosted.sha256);
    assert.deepEqual(await Deno.readFile(join(dataDir, "belle_school_math", path)), hosted.bytes);
    assert.equal(result.manifest.rowCount, FIXTURE_ROWS.belle_school_math);
  });
});

Deno.test("429 (with Retry-After) and 500 answers are retried", async () => {
  await withTestHub({ datasets: ["tinystories"] }, async (hub, dir) => {
    const spec = getDataset("tinystories");
    const first = hub.trainPaths(spec.repo!)[0];
    hub.inject({ kind: "status", target: "revision", status: 500, times: 2 });
    hub.inject({ kind: "status", target: "tree", status: 429, retryAfter: "0" });
    hub.inject({ kind: "status", target: "resolve", path: first, status: 503 });
    hub.inject({ kind: "status", target: "cdn", path: first, status: 429, retryAfter: "1" });
    const result = await downloadDataset(clientFor(hub), spec, {
      dataDir: join(dir, "data"),
      progress: quiet(),
    });
    assert.equal(result.manifest.rowCount, FIXTURE_ROWS.tinystories);
    const statuses = hub.requests.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 500).length, 2);
    assert.equal(statuses.filter((s) => s === 429).length, 2);
    assert.equal(statuses.filter((s) => s === 503).length, 1);
    assert.equal(hub.requests.filter((r) => r.path.endsWith("/revision/main")).length, 3);
  });
});

Deno.test("retries give up after maxRetries with the last error", async () => {
  await withTestHub({ datasets: ["gsm8k"] }, async (hub, dir) => {
    hub.inject({ kind: "status", target: "revision", status: 502, times: 10 });
    await assert.rejects(
      downloadDataset(clientFor(hub, null, 2), getDataset("gsm8k"), {
        dataDir: join(dir, "data"),
        progress: quiet(),
      }),
      /answered 502 \(gave up after 3 attempts\)/,
    );
    assert.equal(hub.requests.length, 3);
  });
});

Deno.test("401, 403 and 404 fail at once with a message that says what to do", async () => {
  await withTestHub({ datasets: ["gsm8k"], token: TOKEN }, async (hub, dir) => {
    const spec = getDataset("gsm8k");
    const options = { dataDir: join(dir, "data"), progress: quiet() };
    await assert.rejects(downloadDataset(clientFor(hub), spec, options), (error: Error) => {
      assert.ok(error instanceof HubError);
      assert.equal(error.status, 401);
      assert.match(
        error.message,
        /gated or private; accept its terms at .*\/datasets\/openai\/gsm8k/,
      );
      assert.match(error.message, /HF_TOKEN/);
      return true;
    });
    assert.equal(hub.requests.length, 1);
    await assert.rejects(
      downloadDataset(clientFor(hub, "hf_wrong"), spec, options),
      /rejected the token in HF_TOKEN \(401 Unauthorized\)/,
    );
    assert.equal(hub.requests.length, 2);
    await assert.rejects(
      downloadDataset(clientFor(hub, TOKEN), spec, { ...options, revision: "mian" }),
      /revision "mian" not found \(404\): check --revision/,
    );
    assert.equal(hub.requests.length, 3);
    hub.inject({ kind: "status", target: "revision", status: 403 });
    await assert.rejects(
      downloadDataset(clientFor(hub, TOKEN), spec, options),
      /access denied \(403\): if the dataset is gated, accept its terms/,
    );
    assert.equal(hub.requests.length, 4);
    assert.equal(await readDownloadManifest(options.dataDir, "gsm8k"), null);
  });
  await withTestHub({ datasets: ["tinystories"] }, async (hub, dir) => {
    await assert.rejects(
      downloadDataset(clientFor(hub), getDataset("gsm8k"), { dataDir: join(dir, "d") }),
      /openai\/gsm8k: not found \(404\).*check the repo id/,
    );
    assert.equal(hub.requests.length, 1);
  });
});

Deno.test("Hub paths with '..' or backslashes are refused; nothing lands outside", async () => {
  const hostile = {
    "openai/gsm8k": [{
      type: "file" as const,
      path: "main/../../../evil.parquet",
      size: 3,
      oid: "x",
    }],
    "roneneldan/TinyStories": [
      { type: "file" as const, path: "data/train-\\..\\..\\evil.parquet", size: 3, oid: "x" },
    ],
  };
  await withTestHub(
    { datasets: ["gsm8k", "tinystories"], extraEntries: hostile },
    async (hub, dir) => {
      const dataDir = join(dir, "data");
      await assert.rejects(
        downloadDataset(clientFor(hub), getDataset("gsm8k"), { dataDir, progress: quiet() }),
        /refusing unsafe path from the Hub \(contains '\.\.'\)/,
      );
      await assert.rejects(
        downloadDataset(clientFor(hub), getDataset("tinystories"), { dataDir, progress: quiet() }),
        /refusing unsafe path from the Hub \(contains a backslash\)/,
      );
      assert.ok(!hub.requests.some((r) => r.path.includes("/resolve/")));
      const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
      assert.deepEqual(names, ["hub"]);
    },
  );
});

Deno.test("a complete download is skipped; force fetches again; stale files are dropped", async () => {
  await withTestHub({ datasets: ["gsm8k"] }, async (hub, dir) => {
    const dataDir = join(dir, "data");
    const spec = getDataset("gsm8k");
    const client = clientFor(hub);
    await downloadDataset(client, spec, { dataDir, progress: quiet() });
    const stale = join(dataDir, "gsm8k", "main", "train-00000-of-00002.parquet");
    await Deno.writeFile(stale, new Uint8Array([1, 2, 3]));
    const before = hub.requests.length;
    const skipped = await downloadDataset(client, spec, { dataDir, progress: quiet() });
    assert.equal(skipped.status, "skipped");
    assert.equal(hub.requests.length, before);
    // The commit on disk counts as that revision; another revision is not "complete" and goes
    // to the Hub (which knows no "v2").
    const same = await downloadDataset(client, spec, {
      dataDir,
      revision: hub.commit(spec.repo!),
      progress: quiet(),
    });
    assert.equal(same.status, "skipped");
    assert.equal(hub.requests.length, before);
    await assert.rejects(
      downloadDataset(client, spec, { dataDir, revision: "v2", progress: quiet() }),
      /revision "v2" not found/,
    );
    assert.equal((await readDownloadManifest(dataDir, "gsm8k"))?.commit, hub.commit(spec.repo!));
    const forced = await downloadDataset(client, spec, { dataDir, force: true, progress: quiet() });
    assert.equal(forced.status, "downloaded");
    assert.equal(bodyRequests(hub, GSM8K).length, 2);
    assert.equal(forced.transferred, hub.files(spec.repo!).get(GSM8K)!.bytes.length);
    await assert.rejects(Deno.stat(stale));
  });
});

Deno.test("a download feeds the progress display bytes, files and a part per file", async () => {
  await withTestHub({ datasets: ["gsm8k"] }, async (hub, dir) => {
    const seen: { call: string; data?: unknown }[] = [];
    const progress: Progress = {
      start: (task) => seen.push({ call: "start", data: task }),
      update: (update) => seen.push({ call: "update", data: update }),
      part: (part) => seen.push({ call: "part", data: part }),
      log: (line) => seen.push({ call: "log", data: line }),
      stop: () => seen.push({ call: "stop" }),
    };
    await downloadDataset(clientFor(hub), getDataset("gsm8k"), {
      dataDir: join(dir, "data"),
      progress,
    });
    const size = hub.files("openai/gsm8k").get(GSM8K)!.bytes.length;
    assert.deepEqual(seen[0], {
      call: "start",
      data: { label: "gsm8k", unit: "bytes", total: size },
    });
    assert.deepEqual(seen.at(-1), { call: "stop" });
    const updates = seen.filter((s) => s.call === "update").map((s) => s.data);
    assert.deepEqual(updates.at(-1), { done: size, counts: { files: "1/1" } });
    const parts = seen.filter((s) => s.call === "part").map((s) => s.data);
    assert.deepEqual(parts.at(-1), { name: GSM8K, done: size, total: size, status: "done" });
  });
});

Deno.test("a redirect to file:// is refused; nothing is copied into the data folder", async () => {
  await withTestHub({ datasets: ["gsm8k"] }, async (hub, dir) => {
    const dataDir = join(dir, "data");
    for (const location of ["file:///etc/passwd", "file:///dev/zero"]) {
      hub.inject({ kind: "redirect", path: GSM8K, location });
      await assert.rejects(
        downloadDataset(clientFor(hub), getDataset("gsm8k"), { dataDir, progress: quiet() }),
        /redirected to a file: URL; only http and https redirects are followed/,
      );
      const dest = join(dataDir, "gsm8k", GSM8K);
      await assert.rejects(Deno.stat(dest));
      const part = await Deno.stat(`${dest}.incomplete`).catch(() => null);
      assert.ok(!part || part.size === 0, `incomplete file holds ${part?.size} bytes`);
    }
  });
});

Deno.test("a body longer than the expected size is cut at that size and fetched again", async () => {
  await withTestHub({ datasets: ["gsm8k"] }, async (hub, dir) => {
    const dataDir = join(dir, "data");
    const hosted = hub.files("openai/gsm8k").get(GSM8K)!;
    const log: string[] = [];
    const progress = createProgress({ mode: "lines", write: (line) => log.push(line) });
    // An endless-looking body (no Content-Length, 16 MB past the file) ...
    hub.inject({ kind: "oversize", path: GSM8K, extraBytes: 16 << 20, announce: false });
    const result = await downloadDataset(clientFor(hub), getDataset("gsm8k"), {
      dataDir,
      progress,
    });
    assert.ok(log.some((l) => /corrupt transfer: the server sent more than the expected/.test(l)));
    // ... costs at most the file's size on disk before it is dropped.
    assert.ok(result.transferred <= 2 * hosted.bytes.length, `${result.transferred} bytes`);
    assert.deepEqual(await Deno.readFile(join(dataDir, "gsm8k", GSM8K)), hosted.bytes);
    // An announced oversize body is refused before any byte is written.
    hub.inject({ kind: "oversize", path: GSM8K, extraBytes: 3 << 20 });
    log.length = 0;
    const again = await downloadDataset(clientFor(hub), getDataset("gsm8k"), {
      dataDir,
      progress,
      force: true,
    });
    assert.ok(log.some((l) => /corrupt transfer: the server announced/.test(l)), log.join("\n"));
    assert.equal(again.transferred, hosted.bytes.length);
  });
});

Deno.test("retries are bounded even when every attempt makes progress", async () => {
  await withTestHub({ datasets: ["gsm8k"] }, async (hub, dir) => {
    const dataDir = join(dir, "data");
    // Whole transfers that always fail their sha256.
    hub.inject({ kind: "corrupt", path: GSM8K, times: 50 });
    await assert.rejects(
      downloadDataset(clientFor(hub, null, 3), getDataset("gsm8k"), { dataDir, progress: quiet() }),
      new RegExp(`${GSM8K}: corrupted download .*\\(gave up after 4 attempts\\)`),
    );
    assert.equal(bodyRequests(hub, GSM8K).length, 4);
  });
  await withTestHub({ datasets: ["gsm8k"] }, async (hub, dir) => {
    const dataDir = join(dir, "data");
    // A server that sends a little of a big Content-Length, then closes, every time.
    hub.inject({ kind: "drop", path: GSM8K, afterBytes: 100, times: 500 });
    await assert.rejects(
      downloadDataset(clientFor(hub, null, 3), getDataset("gsm8k"), { dataDir, progress: quiet() }),
      new RegExp(`${GSM8K}: transfer .* broke off .*\\(gave up after 4 attempts\\)`),
    );
    assert.equal(bodyRequests(hub, GSM8K).length, 4);
  });
});

Deno.test("credentials in HF_ENDPOINT are sent as Basic auth, never recorded", async () => {
  await withTestHub({ datasets: ["gsm8k"] }, async (hub, dir) => {
    const dataDir = join(dir, "data");
    const withCredentials = hub.endpoint.replace("http://", "http://alice:s3cr%40t@");
    const config = hubConfigFromEnv({ env: { HF_ENDPOINT: withCredentials, HF_HOME: dir } });
    assert.equal(config.endpoint, hub.endpoint);
    assert.equal(config.basicAuth, "alice:s3cr@t");
    const client = new HubClient(config, { baseDelayMs: 1 });
    const result = await downloadDataset(client, getDataset("gsm8k"), {
      dataDir,
      progress: quiet(),
    });
    assert.equal(result.manifest.endpoint, hub.endpoint);
    const text = await Deno.readTextFile(join(dataDir, "gsm8k", "manifest.json"));
    assert.ok(!text.includes("s3cr") && !text.includes("alice"), text);
    const hubRequests = hub.requests.filter((r) => r.server === "hub");
    assert.ok(hubRequests.every((r) => r.authorization === `Basic ${btoa("alice:s3cr@t")}`));
    assert.ok(hub.requests.filter((r) => r.server === "cdn").every((r) => !r.authorization));
    // Given straight to the client, the endpoint is cleaned the same way.
    const direct = new HubClient({ endpoint: withCredentials, token: null });
    assert.equal(direct.config.endpoint, hub.endpoint);
    assert.throws(() => hubConfigFromEnv({ env: { HF_ENDPOINT: "file:///etc" } }), /http or https/);
  });
});
