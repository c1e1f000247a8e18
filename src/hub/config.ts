import { join } from "node:path";

/** Where the Hub is and who we are to it. */
export interface HubConfig {
  /** Base URL without a trailing slash, e.g. `https://huggingface.co`. */
  endpoint: string;
  /** Access token sent as `Authorization: Bearer`, or null for anonymous access. */
  token: string | null;
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
  const endpoint = (env.HF_ENDPOINT?.trim() || DEFAULT_ENDPOINT).replace(/\/+$/, "");
  try {
    new URL(endpoint);
  } catch {
    throw new Error(`HF_ENDPOINT is not a URL: ${endpoint}`);
  }
  const token = env.HF_TOKEN?.trim() || readTokenFile(tokenFilePath(env));
  return { endpoint, token };
}
