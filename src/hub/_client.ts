import { type HubConfig, splitUrlCredentials } from "./_config.ts";
import { parseRetryAfter, RetryableError, type RetryOptions, withRetry } from "../retry/mod.ts";

/** A non-retryable Hub answer (401, 403, 404, other 4xx) with a message that says what to do. */
export class HubError extends Error {
  /** HTTP status. */
  status: number;
  constructor(message: string, status: number) {
    super(message);
    this.name = "HubError";
    this.status = status;
  }
}

/** One entry of `GET /api/datasets/{repo}/tree/{rev}?recursive=true`. */
export interface HubTreeEntry {
  type: "file" | "directory";
  path: string;
  /** File size in bytes (the real size for LFS files). */
  size?: number;
  /** Git object id: the blob sha1 (for LFS files, of the pointer file). */
  oid?: string;
  /** Present for LFS files: `oid` is the content's sha256. */
  lfs?: { oid: string; size: number; pointerSize?: number };
}

/** A dataset (or model) repo at a revision (a branch, tag or commit sha). */
export interface RepoRef {
  /** `owner/name`. */
  repo: string;
  revision: string;
  /** Default `dataset`; Piper voices live in a model repo. */
  type?: "dataset" | "model";
}

/** `{endpoint}/api/datasets/{repo}` or `{endpoint}/api/models/{repo}`. */
function apiBase(endpoint: string, ref: Pick<RepoRef, "repo" | "type">): string {
  return `${endpoint}/api/${ref.type === "model" ? "models" : "datasets"}/${ref.repo}`;
}

/** `{endpoint}/datasets/{repo}` or, for a model, `{endpoint}/{repo}`. */
function pageBase(endpoint: string, ref: Pick<RepoRef, "repo" | "type">): string {
  return ref.type === "model" ? `${endpoint}/${ref.repo}` : `${endpoint}/datasets/${ref.repo}`;
}

/** Options of {@linkcode HubClient}. */
export interface HubClientOptions extends RetryOptions {
  /** Replacement for the global `fetch` (tests). */
  fetch?: typeof fetch;
}

/** What a request was for, to word errors. */
interface RequestContext extends RepoRef {
  path?: string;
}

/** A URL as safe to print: no query string (CDN URLs carry signatures there). */
export function printableUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return "<invalid URL>";
  }
}

/** The `rel="next"` URL of a `Link` header, resolved against `base`, or null. */
export function nextLinkUrl(header: string | null, base: string): string | null {
  if (!header) return null;
  for (const part of header.split(",")) {
    const match = /<([^>]*)>\s*((?:;[^;]*)*)/.exec(part.trim());
    if (match && /;\s*rel="?next"?(\s|;|$)/i.test(match[2])) return new URL(match[1], base).href;
  }
  return null;
}

function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

const MAX_REDIRECTS = 10;

/**
 * A small Hugging Face Hub client for dataset repos: resolve a revision to a commit, list files,
 * open a file (following redirects, never sending the token to another host). Connection errors,
 * 429 and 5xx are retried with backoff; 401/403/404 throw {@linkcode HubError} at once.
 */
export class HubClient {
  /** Endpoint and token in use. */
  readonly config: HubConfig;
  readonly #options: HubClientOptions;
  readonly #fetch: typeof fetch;

  constructor(config: HubConfig, options: HubClientOptions = {}) {
    // Credentials in the endpoint URL move to `basicAuth`, so nothing records or prints them.
    const { url, credentials } = splitUrlCredentials(config.endpoint.replace(/\/+$/, ""));
    this.config = { ...config, endpoint: url, basicAuth: config.basicAuth ?? credentials };
    this.#options = options;
    this.#fetch = options.fetch ?? fetch;
  }

  /** Retry settings shared with file downloads. */
  get retryOptions(): RetryOptions {
    return this.#options;
  }

  /** The commit sha a branch, tag or sha names: `GET /api/datasets/{repo}/revision/{rev}`. */
  async resolveRevision(ref: RepoRef): Promise<string> {
    const url = `${apiBase(this.config.endpoint, ref)}/revision/${
      encodeURIComponent(ref.revision)
    }`;
    const info = await this.#getJson(url, ref) as { sha?: unknown };
    if (typeof info?.sha !== "string" || !/^[0-9a-f]{40}$/i.test(info.sha)) {
      throw new Error(`${ref.repo}@${ref.revision}: the Hub answered without a commit sha`);
    }
    return info.sha;
  }

  /**
   * Every entry of the repo at `ref` (recursive), or of its folder `folder`, following
   * `Link: rel="next"` pages.
   */
  async listTree(ref: RepoRef, folder?: string): Promise<HubTreeEntry[]> {
    const entries: HubTreeEntry[] = [];
    let url: string | null = `${apiBase(this.config.endpoint, ref)}/tree/${
      encodeURIComponent(ref.revision)
    }${folder ? `/${encodePath(folder)}` : ""}?recursive=true`;
    const seen = new Set<string>();
    while (url) {
      if (seen.has(url)) throw new Error(`${ref.repo}: the Hub's tree pagination loops`);
      seen.add(url);
      const pageUrl: string = url;
      const page = await withRetry(async () => {
        const response = await this.#send(pageUrl, ref, {});
        const body = await readJson(response, pageUrl);
        return { body, next: nextLinkUrl(response.headers.get("link"), pageUrl) };
      }, this.#options);
      if (!Array.isArray(page.body)) {
        throw new Error(`${ref.repo}: unexpected tree listing from ${printableUrl(pageUrl)}`);
      }
      for (const item of page.body) {
        if (
          item && typeof item.path === "string" &&
          (item.type === "file" || item.type === "directory")
        ) {
          entries.push(item as HubTreeEntry);
        }
      }
      url = page.next;
    }
    return entries;
  }

  /** `{endpoint}/datasets/{repo}/resolve/{rev}/{path}` (a model: no `datasets/`). */
  fileUrl(ref: RepoRef, path: string): string {
    return `${pageBase(this.config.endpoint, ref)}/resolve/${encodeURIComponent(ref.revision)}/${
      encodePath(path)
    }`;
  }

  /**
   * One attempt at a file: GET with `Range: bytes=offset-` when `offset > 0`, following
   * redirects. Resolves to a 200, 206 or 416 response whose body the caller must consume or
   * cancel; throws {@linkcode RetryableError} or {@linkcode HubError} otherwise.
   */
  openFile(
    ref: RepoRef,
    path: string,
    options: { offset?: number; signal?: AbortSignal } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = {};
    if (options.offset && options.offset > 0) headers.range = `bytes=${options.offset}-`;
    return this.#send(this.fileUrl(ref, path), { ...ref, path }, {
      headers,
      signal: options.signal,
      accept: [416],
    });
  }

  async #getJson(url: string, context: RequestContext): Promise<unknown> {
    return await withRetry(async () => {
      const response = await this.#send(url, context, {});
      return await readJson(response, url);
    }, this.#options);
  }

  /** GET `url`, following redirects by hand so the token stays with the endpoint's origin. */
  async #send(
    url: string,
    context: RequestContext,
    options: { headers?: Record<string, string>; signal?: AbortSignal; accept?: number[] },
  ): Promise<Response> {
    const tokenOrigin = new URL(this.config.endpoint).origin;
    let current = url;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const headers = new Headers(options.headers);
      headers.set("user-agent", "videoword/0.1");
      if (new URL(current).origin === tokenOrigin) {
        if (this.config.token) headers.set("authorization", `Bearer ${this.config.token}`);
        else if (this.config.basicAuth) {
          headers.set("authorization", `Basic ${btoa(this.config.basicAuth)}`);
        }
      }
      let response: Response;
      try {
        response = await this.#fetch(current, {
          headers,
          redirect: "manual",
          signal: options.signal,
        });
      } catch (error) {
        if (options.signal?.aborted) throw error;
        throw new RetryableError(
          `connection to ${printableUrl(current)} failed: ${
            error instanceof Error ? error.message : String(error)
          }`,
          { cause: error },
        );
      }
      const { status } = response;
      if (status >= 300 && status < 400 && response.headers.has("location")) {
        await response.body?.cancel();
        const next = new URL(response.headers.get("location")!, current);
        // fetch would happily read file:// (or data:) URLs: a redirect may only go to the web.
        if (next.protocol !== "http:" && next.protocol !== "https:") {
          throw new HubError(
            `${printableUrl(current)} redirected to a ${next.protocol} URL; only http and ` +
              `https redirects are followed (check HF_ENDPOINT)`,
            status,
          );
        }
        current = next.href;
        continue;
      }
      if ((status >= 200 && status < 300) || options.accept?.includes(status)) return response;
      await response.body?.cancel();
      if (status === 429 || status === 408 || status >= 500) {
        throw new RetryableError(`${printableUrl(current)} answered ${status}`, {
          retryAfterMs: parseRetryAfter(response.headers.get("retry-after")),
        });
      }
      throw new HubError(this.#explain(response, context, current), status);
    }
    throw new Error(`too many redirects fetching ${printableUrl(url)}`);
  }

  /** One line saying what went wrong and what to do about it. */
  #explain(response: Response, context: RequestContext, url: string): string {
    const { status } = response;
    const { repo, revision, path } = context;
    const page = pageBase(this.config.endpoint, context);
    const code = response.headers.get("x-error-code");
    const serverMessage = response.headers.get("x-error-message")?.slice(0, 200);
    const suffix = serverMessage ? ` [Hub: ${serverMessage}]` : "";
    const hasToken = this.config.token !== null;
    if (status === 401) {
      if (hasToken) {
        return `${repo}: the Hub rejected the token in HF_TOKEN (401 Unauthorized): check that it ` +
          `is valid and not expired (tokens: ${this.config.endpoint}/settings/tokens), and that ` +
          `the repo id is spelled right${suffix}`;
      }
      if (code === "RepoNotFound") {
        return `${repo}: repo not found (401): check the repo id; if it is private or gated, ` +
          `set HF_TOKEN${suffix}`;
      }
      return `${repo} needs authentication (401): it is gated or private; accept its terms at ` +
        `${page} and set HF_TOKEN (or run \`hf auth login\`) with that account's token${suffix}`;
    }
    if (status === 403) {
      return `${repo}: access denied (403): if the dataset is gated, accept its terms at ${page} ` +
        `with the account whose token is in HF_TOKEN; a fine-grained token needs read access ` +
        `to it${suffix}`;
    }
    if (status === 404) {
      if (code === "RevisionNotFound") {
        return `${repo}: revision "${revision}" not found (404): check --revision${suffix}`;
      }
      if (code === "EntryNotFound" || (path && code !== "RepoNotFound")) {
        return `${repo}@${revision}: file ${path ?? printableUrl(url)} not found (404)${suffix}`;
      }
      return `${repo}: not found (404) at ${printableUrl(url)}: check the repo id and ` +
        `--revision "${revision}"${suffix}`;
    }
    return `${printableUrl(url)} answered ${status} ${response.statusText}${suffix}`;
  }
}

async function readJson(response: Response, url: string): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw new RetryableError(`reading ${printableUrl(url)} failed`, { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${printableUrl(url)} did not answer JSON`);
  }
}
