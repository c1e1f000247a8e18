import { join } from "node:path";

/** Where the Hub is and who we are to it. */
export interface HubConfig {
  /** Base URL without a trailing slash, e.g. `https://huggingface.co`. */
  endpoint: string;
  /** Access token sent as `Authorization: Bearer`, or null for anonymous access. */
  token: string | null;
  /**
   * `user:password` taken out of an `HF_ENDPOINT` like `http://user:secret@host`, sent as HTTP
   * Basic auth to the endpoint's origin when there is no token; never printed or recorded.
   * @default null
   */
  basicAuth?: string | null;
}

/**
 * `url` without `user:password@`, and the credentials it held (percent-decoded), so an
 * endpoint can be recorded and printed without them.
 */
export function splitUrlCredentials(url: string): { url: string; credentials: string | null } {
  const parsed = new URL(url);
  if (!parsed.username && !parsed.password) return { url, credentials: null };
  const credentials = `${decodeURIComponent(parsed.username)}:${
    decodeURIComponent(parsed.password)
  }`;
  parsed.username = "";
  parsed.password = "";
  return { url: parsed.href.replace(/\/+$/, ""), credentials };
}

/** The default Hub endpoint when `HF_ENDPOINT` is unset. */
export const DEFAULT_ENDPOINT = "https://huggingface.co";

/** Options of {@linkcode hubConfigFromEnv}. */
export interface HubConfigOptions {
  /** Read variables from here instead of `Deno.env` (tests). */
  env?: Record<string, string | undefined>;
}

/** The token file the Hugging Face tools use: `$HF_TOKEN_PATH`, else `$HF_HOME/token`. */
export function tokenFilePath(env: Record<string, string | undefined>): string | null {
  if (env.HF_TOKEN_PATH) return env.HF_TOKEN_PATH;
  if (env.HF_HOME) return join(env.HF_HOME, "token");
  const cache = env.XDG_CACHE_HOME || (env.HOME ? join(env.HOME, ".cache") : null);
  return cache ? join(cache, "huggingface", "token") : null;
}

function readTokenFile(path: string | null): string | null {
  if (!path) return null;
  try {
    return Deno.readTextFileSync(path).trim() || null;
  } catch {
    return null; // no token file means anonymous access, as with the Hugging Face tools
  }
}

/**
 * Endpoint from `HF_ENDPOINT` (default {@linkcode DEFAULT_ENDPOINT}) and token from `HF_TOKEN`,
 * else the token file ({@linkcode tokenFilePath}).
 */
export function hubConfigFromEnv(options: HubConfigOptions = {}): HubConfig {
  const env = options.env ?? Deno.env.toObject();
  const raw = (env.HF_ENDPOINT?.trim() || DEFAULT_ENDPOINT).replace(/\/+$/, "");
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    // Not echoed: the value may hold a password.
    throw new Error("HF_ENDPOINT is not a URL (expected e.g. https://huggingface.co)");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new Error(`HF_ENDPOINT must be an http or https URL, not ${parsed.protocol}`);
  }
  const { url: endpoint, credentials } = splitUrlCredentials(raw);
  const token = env.HF_TOKEN?.trim() || readTokenFile(tokenFilePath(env));
  return { endpoint, token, basicAuth: credentials };
}
