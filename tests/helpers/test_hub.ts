/**
 * A loopback Hugging Face Hub for tests: the revision, tree (paginated) and resolve endpoints of
 * the real API for the built-in dataset repos (real file layouts from `writeHubLayout`), plus a
 * second loopback "CDN" server that LFS resolves redirect to. Faults can be injected: dropped
 * connections mid-file, 429/500 answers, a corrupted byte, a required token.
 */
import { createHash } from "node:crypto";
import { dirname, join } from "node:path";
import { getDataset, listDatasets } from "../../src/datasets/mod.ts";
import { writeGsm8kChineseSplit, writeGsm8kTestSplit, writeHubLayout } from "./hub_fixtures.ts";

/** One request a test server saw. */
/**
 * The environment of a program run against the test Hub: none of the host's Hugging Face home,
 * token or token file (`home`: a folder for its HF_HOME; `undefined`: left as it is), no colour,
 * plus `env`.
 */
export function offlineHubEnv(
  home: string | undefined,
  env: Record<string, string> = {},
): Record<string, string> {
  return {
    ...(home === undefined ? {} : { HF_HOME: join(home, "hf_home") }),
    HF_TOKEN: "",
    HF_TOKEN_PATH: "",
    NO_COLOR: "1",
    ...env,
  };
}

export interface SeenRequest {
  server: "hub" | "cdn";
  /** URL path (decoded), no query. */
  path: string;
  query: string;
  range: string | null;
  authorization: string | null;
  status: number;
  /** Body bytes the server sent (or, for a dropped transfer, meant to send before the cut). */
  bodyBytes: number;
}

/** A file as hosted. */
export interface HostedFile {
  path: string;
  bytes: Uint8Array;
  sha256: string;
  gitSha1: string;
  lfs: boolean;
}

/** Which endpoint a fault applies to. */
export type FaultTarget = "revision" | "tree" | "resolve" | "cdn";

/** An injected fault; applies to the next `times` matching requests. */
export type Fault =
  | {
    kind: "status";
    target: FaultTarget;
    path?: string;
    status: number;
    retryAfter?: string;
    times?: number;
  }
  | { kind: "drop"; path: string; afterBytes: number; times?: number }
  | { kind: "corrupt"; path: string; times?: number }
  /** Answer a range request with the whole file (200), as servers without range support do. */
  | { kind: "ignoreRange"; path: string; times?: number }
  /** Answer the resolve request with a 302 to `location` (e.g. a `file:` URL). */
  | { kind: "redirect"; path: string; location: string; times?: number }
  /**
   * Send `extraBytes` zero bytes after the file; with `announce: false` the body has no
   * Content-Length (chunked), like an endless stream.
   */
  | { kind: "oversize"; path: string; extraBytes: number; announce?: boolean; times?: number };

/** Options of {@linkcode startTestHub}. */
export interface TestHubOptions {
  /** Dataset keys to host. Default: all. */
  datasets?: string[];
  /** Require `Authorization: Bearer <token>` on the Hub (not the CDN). */
  token?: string;
  /** Tree entries per page (adds `Link: rel="next"`). Default: one page. */
  treePageSize?: number;
  /** Which repo paths are LFS files (served via the CDN). Default: data files by extension. */
  lfs?: (path: string) => boolean;
  /** Model repos to host (repo id → path → bytes), e.g. `rhasspy/piper-voices`. */
  models?: Record<string, Record<string, Uint8Array>>;
  /** Extra raw tree entries per repo id (e.g. hostile paths). */
  extraEntries?: Record<
    string,
    { type: "file" | "directory"; path: string; size?: number; oid?: string }[]
  >;
}

/** A running test Hub. */
export interface TestHub {
  /** `http://127.0.0.1:PORT`: set as `HF_ENDPOINT`. */
  endpoint: string;
  /** The CDN's origin (a different port, so a different origin). */
  cdnOrigin: string;
  /** Commit sha `main` resolves to, per repo id. */
  commit(repo: string): string;
  /** Hosted files of a repo id, by path. */
  files(repo: string): Map<string, HostedFile>;
  /** The train split's paths of a repo id as `writeHubLayout` wrote them, sorted. */
  trainPaths(repo: string): string[];
  /** Every request seen, in order. */
  requests: SeenRequest[];
  /** Queue a fault. */
  inject(fault: Fault): void;
  /** Stop both servers. */
  close(): Promise<void>;
}

const DEFAULT_LFS = (path: string) => /\.(parquet|json|jsonl|gz|tar|arrow)$/.test(path);

function hex(algorithm: string, ...parts: (string | Uint8Array)[]): string {
  const hash = createHash(algorithm);
  for (const part of parts) hash.update(part);
  return hash.digest("hex");
}

function errorResponse(status: number, code: string, message: string): Response {
  return Response.json({ error: message }, {
    status,
    headers: { "x-error-code": code, "x-error-message": message },
  });
}

/** Start the Hub and CDN servers on 127.0.0.1 with the datasets' files under `workDir`. */
export async function startTestHub(
  workDir: string,
  options: TestHubOptions = {},
): Promise<TestHub> {
  const keys = options.datasets ?? listDatasets().map((spec) => spec.key);
  const isLfs = options.lfs ?? DEFAULT_LFS;
  const repos = new Map<
    string,
    { commit: string; files: Map<string, HostedFile>; train: string[]; model?: boolean }
  >();
  for (const [repo, hosted] of Object.entries(options.models ?? {})) {
    const files = new Map<string, HostedFile>();
    for (const [path, bytes] of Object.entries(hosted)) {
      files.set(path, {
        path,
        bytes,
        sha256: hex("sha256", bytes),
        gitSha1: hex("sha1", `blob ${bytes.length}\0`, bytes),
        lfs: /\.onnx$/.test(path),
      });
    }
    repos.set(repo, { commit: hex("sha1", `commit of ${repo}`), files, train: [], model: true });
  }
  for (const key of keys) {
    const repo = getDataset(key).repo!;
    const dir = join(workDir, "hub", key);
    await Deno.mkdir(dir, { recursive: true });
    const paths = await writeHubLayout(key, dir);
    const train = [...paths].sort();
    // Files the real repos hold beside the train split, which a download must not fetch.
    const extras: Record<string, Uint8Array> = {
      "README.md": new TextEncoder().encode(`# ${repo}\n`),
      ".gitattributes": new TextEncoder().encode("*.parquet filter=lfs diff=lfs merge=lfs -text\n"),
    };
    if (key === "gsm8k") {
      const train = await Deno.readFile(join(dir, paths[0]));
      // The test split holds real test rows, so a test-split download is told from train's.
      const test = await writeGsm8kTestSplit(dir);
      extras[test] = await Deno.readFile(join(dir, test));
      extras["socratic/train-00000-of-00001.parquet"] = train;
    }
    if (key === "gsm8k_chinese") {
      const test = await writeGsm8kChineseSplit(dir, "test");
      extras[test] = await Deno.readFile(join(dir, test));
    }
    for (const [path, bytes] of Object.entries(extras)) {
      await Deno.mkdir(dirname(join(dir, path)), { recursive: true });
      await Deno.writeFile(join(dir, path), bytes);
      paths.push(path);
    }
    const files = new Map<string, HostedFile>();
    for (const path of [...paths].sort()) {
      const bytes = await Deno.readFile(join(dir, path));
      files.set(path, {
        path,
        bytes,
        sha256: hex("sha256", bytes),
        gitSha1: hex("sha1", `blob ${bytes.length}\0`, bytes),
        lfs: isLfs(path),
      });
    }
    repos.set(repo, { commit: hex("sha1", `commit of ${repo}`), files, train });
  }

  const requests: SeenRequest[] = [];
  const faults: Fault[] = [];

  function takeFault(match: (fault: Fault) => boolean): Fault | null {
    const index = faults.findIndex(match);
    if (index === -1) return null;
    const fault = faults[index];
    const left = (fault.times ?? 1) - 1;
    if (left <= 0) faults.splice(index, 1);
    else faults[index] = { ...fault, times: left };
    return fault;
  }

  function statusFault(target: FaultTarget, path?: string): Response | null {
    const fault = takeFault((f) =>
      f.kind === "status" && f.target === target && (f.path === undefined || f.path === path)
    );
    if (!fault || fault.kind !== "status") return null;
    const headers: Record<string, string> = {};
    if (fault.retryAfter !== undefined) headers["retry-after"] = fault.retryAfter;
    return new Response(`injected ${fault.status}`, { status: fault.status, headers });
  }

  /** The file body (honouring `Range: bytes=N-`), with any drop/corrupt fault applied. */
  function serveFile(file: HostedFile, request: Request, record: SeenRequest): Response {
    const range = request.headers.get("range");
    let start = 0;
    const ignore = range && takeFault((f) => f.kind === "ignoreRange" && f.path === file.path);
    if (range && !ignore) {
      const match = /^bytes=(\d+)-$/.exec(range);
      if (!match) return new Response("bad range", { status: 400 });
      start = Number(match[1]);
      if (start >= file.bytes.length) {
        return new Response(null, {
          status: 416,
          headers: { "content-range": `bytes */${file.bytes.length}` },
        });
      }
    }
    let body = file.bytes.subarray(start);
    if (takeFault((f) => f.kind === "corrupt" && f.path === file.path)) {
      body = body.slice();
      body[Math.floor(body.length / 2)] ^= 0xff;
    }
    const oversize = takeFault((f) => f.kind === "oversize" && f.path === file.path);
    if (oversize && oversize.kind === "oversize") {
      const big = new Uint8Array(body.length + oversize.extraBytes);
      big.set(body);
      record.bodyBytes = big.length;
      if (oversize.announce === false) {
        const chunk = 64 * 1024;
        let at = 0;
        const stream = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (at >= big.length) return controller.close();
            controller.enqueue(big.slice(at, at + chunk));
            at += chunk;
          },
        });
        return new Response(stream, { status: 200 });
      }
      return new Response(big, {
        status: 200,
        headers: { "content-length": String(big.length) },
      });
    }
    const headers: Record<string, string> = {
      "content-length": String(body.length),
      "accept-ranges": "bytes",
      etag: `"${file.lfs ? file.sha256 : file.gitSha1}"`,
    };
    const status = start > 0 ? 206 : 200;
    if (status === 206) {
      headers["content-range"] = `bytes ${start}-${file.bytes.length - 1}/${file.bytes.length}`;
    }
    const drop = takeFault((f) => f.kind === "drop" && f.path === file.path);
    if (drop && drop.kind === "drop" && drop.afterBytes < body.length) {
      const part = body.subarray(0, drop.afterBytes);
      record.bodyBytes = part.length;
      // Fewer bytes than Content-Length, then the connection ends: the client sees a broken body.
      const stream = new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(part);
          await new Promise((done) => setTimeout(done, 20));
          controller.close();
        },
      });
      return new Response(stream, { status, headers });
    }
    record.bodyBytes = body.length;
    return new Response(body as Uint8Array<ArrayBuffer>, { status, headers });
  }

  /** Note a request as the tests see it; `status` and `bodyBytes` are filled in when answered. */
  function recordRequest(server: SeenRequest["server"], request: Request, url: URL): SeenRequest {
    const record: SeenRequest = {
      server,
      path: decodeURIComponent(url.pathname),
      query: url.search,
      range: request.headers.get("range"),
      authorization: request.headers.get("authorization"),
      status: 0,
      bodyBytes: 0,
    };
    requests.push(record);
    return record;
  }

  const cdnAbort = new AbortController();
  const cdnServer = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: cdnAbort.signal, onListen() {} },
    (request) => {
      const url = new URL(request.url);
      const record = recordRequest("cdn", request, url);
      const response = (() => {
        // /lfs/{repo}/{path}?X-Amz-Signature=...
        const match = /^\/lfs\/([^/]+\/[^/]+)\/(.+)$/.exec(record.path);
        const file = match ? repos.get(match[1])?.files.get(match[2]) : undefined;
        if (!file || !url.searchParams.has("X-Amz-Signature")) {
          return new Response("no such object", { status: 404 });
        }
        return statusFault("cdn", file.path) ?? serveFile(file, request, record);
      })();
      record.status = response.status;
      return response;
    },
  );
  const cdnOrigin = `http://127.0.0.1:${cdnServer.addr.port}`;

  const hubAbort = new AbortController();
  const hubServer = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: hubAbort.signal, onListen() {} },
    (request) => {
      const url = new URL(request.url);
      const record = recordRequest("hub", request, url);
      const response = route(request, url, record);
      record.status = response.status;
      return response;
    },
  );
  const endpoint = `http://127.0.0.1:${hubServer.addr.port}`;

  function route(request: Request, url: URL, record: SeenRequest): Response {
    const auth = request.headers.get("authorization");
    if (options.token !== undefined && auth !== `Bearer ${options.token}`) {
      return auth
        ? errorResponse(401, "", "Invalid credentials in Authorization header")
        : errorResponse(401, "GatedRepo", "Access to this dataset is restricted.");
    }
    const segments = url.pathname.split("/").slice(1).map(decodeURIComponent);
    // Datasets: /api/datasets/{repo}/…, /datasets/{repo}/resolve/…; models: /api/models/{repo}/…,
    // /{repo}/resolve/….
    const api = segments[0] === "api" && (segments[1] === "datasets" || segments[1] === "models");
    const model = api ? segments[1] === "models" : segments[0] !== "datasets";
    const base = api ? 2 : model ? 0 : 1;
    const repoId = `${segments[base]}/${segments[base + 1]}`;
    const repo = repos.get(repoId);
    if (!repo || Boolean(repo.model) !== model) {
      return errorResponse(404, "RepoNotFound", `Repository not found: ${repoId}`);
    }
    const action = segments[base + 2];
    const revision = segments[base + 3];
    if (revision !== "main" && revision !== repo.commit) {
      return errorResponse(404, "RevisionNotFound", `Invalid rev id: ${revision}`);
    }
    if (api && action === "revision" && segments.length === base + 4) {
      return statusFault("revision") ?? Response.json({
        id: repoId,
        sha: repo.commit,
        siblings: [...repo.files.keys()].map((rfilename) => ({ rfilename })),
      });
    }
    if (api && action === "tree" && segments.length >= base + 4) {
      const fault = statusFault("tree");
      if (fault) return fault;
      // A folder listing: /tree/{rev}/{folder}.
      const folder = segments.slice(base + 4).join("/");
      const files = folder
        ? new Map([...repo.files].filter(([path]) => path.startsWith(`${folder}/`)))
        : repo.files;
      return treePage(repoId, files, url);
    }
    if (!api && action === "resolve") {
      const path = segments.slice(base + 4).join("/");
      const file = repo.files.get(path);
      if (!file) return errorResponse(404, "EntryNotFound", `${path} does not exist`);
      const fault = statusFault("resolve", path);
      if (fault) return fault;
      const redirect = takeFault((f) => f.kind === "redirect" && f.path === path);
      if (redirect && redirect.kind === "redirect") {
        return new Response(null, { status: 302, headers: { location: redirect.location } });
      }
      if (file.lfs) {
        const location = `${cdnOrigin}/lfs/${repoId}/${
          path.split("/").map(encodeURIComponent).join("/")
        }?X-Amz-Signature=sig${Date.now()}`;
        return new Response(null, {
          status: 302,
          headers: {
            location,
            "x-repo-commit": repo.commit,
            "x-linked-size": String(file.bytes.length),
            "x-linked-etag": `"${file.sha256}"`,
          },
        });
      }
      return serveFile(file, request, record);
    }
    return new Response("not found", { status: 404 });
  }

  function treePage(repoId: string, files: Map<string, HostedFile>, url: URL): Response {
    if (url.searchParams.get("recursive") !== "true") {
      return new Response("test hub only serves recursive listings", { status: 400 });
    }
    const dirs = new Set<string>();
    for (const path of files.keys()) {
      const parts = path.split("/");
      for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join("/"));
    }
    const entries: unknown[] = [
      ...[...dirs].sort().map((path) => ({
        type: "directory",
        oid: hex("sha1", path),
        size: 0,
        path,
      })),
      ...[...files.values()].map((file) =>
        file.lfs
          ? {
            type: "file",
            oid: hex("sha1", `pointer ${file.sha256}`),
            size: file.bytes.length,
            path: file.path,
            lfs: { oid: file.sha256, size: file.bytes.length, pointerSize: 134 },
          }
          : { type: "file", oid: file.gitSha1, size: file.bytes.length, path: file.path }
      ),
      ...(options.extraEntries?.[repoId] ?? []),
    ];
    const size = options.treePageSize ?? entries.length;
    const cursor = Number(url.searchParams.get("cursor") ?? "0");
    const page = entries.slice(cursor, cursor + size);
    const headers: Record<string, string> = {};
    if (cursor + size < entries.length) {
      const next = new URL(url.href);
      next.searchParams.set("cursor", String(cursor + size));
      headers.link = `<${next.href}>; rel="next"`;
    }
    return Response.json(page, { headers });
  }

  return {
    endpoint,
    cdnOrigin,
    commit: (repo) => repos.get(repo)!.commit,
    files: (repo) => repos.get(repo)!.files,
    trainPaths: (repo) => repos.get(repo)!.train,
    requests,
    inject: (fault) => faults.push(fault),
    close: async () => {
      hubAbort.abort();
      cdnAbort.abort();
      await Promise.all([hubServer.finished, cdnServer.finished]);
    },
  };
}

/** Run `fn` against a fresh test Hub and temp dir; both are gone afterwards. */
export async function withTestHub(
  options: TestHubOptions,
  fn: (hub: TestHub, dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "videoword_hub_" });
  const hub = await startTestHub(dir, options);
  try {
    await fn(hub, dir);
  } finally {
    await hub.close();
    await Deno.remove(dir, { recursive: true });
  }
}
