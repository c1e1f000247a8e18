import { createHash, type Hash } from "node:crypto";
import { dirname } from "node:path";
import { HubClient, printableUrl, type RepoRef } from "./_client.ts";
import { RetryableError, withRetry } from "../retry/mod.ts";

/** What a downloaded file must be. */
export interface ExpectedFile {
  size: number;
  /** Content sha256 (an LFS file's `lfs.oid`). */
  sha256?: string;
  /** Git blob sha1 (a non-LFS file's `oid`). */
  gitSha1?: string;
}

/** Options of {@linkcode downloadFile}. */
export interface DownloadFileOptions {
  /** Where the file lands; `dest.incomplete` holds it while in transit. */
  dest: string;
  expected: ExpectedFile;
  /** Ignore (and delete) a finished or partial copy already on disk. */
  force?: boolean;
  /** Told how many bytes of this file are on disk, as it changes. */
  onProgress?: (bytesDone: number) => void;
  /** Told before a retry wait. */
  onRetry?: (message: string) => void;
  /**
   * Abort and retry a transfer that receives nothing for this long (ms).
   * @default {60000}
   */
  idleTimeoutMs?: number;
}

/** A file now on disk and verified. */
export interface DownloadedFile {
  size: number;
  sha256: string;
  /** Bytes received over the network for it in this run (0 if an existing copy was kept). */
  transferred: number;
  /** True if a complete verified copy was already there. */
  reused: boolean;
}

/** Incremental sha256 (and git blob sha1 when wanted) of a file's bytes. */
class FileHasher {
  #sha256: Hash = createHash("sha256");
  #sha1: Hash | null;
  constructor(size: number, gitSha1: boolean) {
    this.#sha1 = gitSha1 ? createHash("sha1").update(`blob ${size}\0`) : null;
  }
  update(chunk: Uint8Array): void {
    this.#sha256.update(chunk);
    this.#sha1?.update(chunk);
  }
  digest(): { sha256: string; sha1: string | null } {
    return { sha256: this.#sha256.digest("hex"), sha1: this.#sha1?.digest("hex") ?? null };
  }
}

async function fileSize(path: string): Promise<number | null> {
  try {
    const info = await Deno.stat(path);
    return info.isFile ? info.size : null;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

async function removeIfExists(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/** Feed the first `length` bytes of `path` to `hasher`. */
async function hashPrefix(path: string, length: number, hasher: FileHasher): Promise<void> {
  using file = await Deno.open(path, { read: true });
  const buffer = new Uint8Array(1 << 20);
  let left = length;
  while (left > 0) {
    const n = await file.read(buffer.subarray(0, Math.min(buffer.length, left)));
    if (n === null) break;
    hasher.update(buffer.subarray(0, n));
    left -= n;
  }
}

async function writeAll(file: Deno.FsFile, chunk: Uint8Array): Promise<void> {
  let written = 0;
  while (written < chunk.length) written += await file.write(chunk.subarray(written));
}

/** Null if the hashes match `expected`, else what differs. */
function mismatch(expected: ExpectedFile, got: { sha256: string; sha1: string | null }) {
  if (expected.sha256 && expected.sha256.toLowerCase() !== got.sha256) {
    return `sha256 ${got.sha256} != expected ${expected.sha256}`;
  }
  if (expected.gitSha1 && got.sha1 && expected.gitSha1.toLowerCase() !== got.sha1) {
    return `git blob sha1 ${got.sha1} != expected ${expected.gitSha1}`;
  }
  return null;
}

/** Hash an existing complete copy; its sha256 if it matches `expected`, else null. */
async function verifyExisting(path: string, expected: ExpectedFile): Promise<string | null> {
  if (await fileSize(path) !== expected.size) return null;
  const hasher = new FileHasher(expected.size, Boolean(expected.gitSha1));
  await hashPrefix(path, expected.size, hasher);
  const digest = hasher.digest();
  return mismatch(expected, digest) ? null : digest.sha256;
}

/** `start` of a `Content-Range: bytes start-end/total` header, or null. */
function contentRangeStart(header: string | null): number | null {
  const match = header ? /^bytes\s+(\d+)-\d+\/(\d+|\*)$/i.exec(header.trim()) : null;
  return match ? Number(match[1]) : null;
}

/**
 * Download `path` of the repo at `ref` to `options.dest`: stream into `dest.incomplete`, resume it
 * with `Range: bytes=N-` after an interruption (starting over if the server answers 200), verify
 * size and sha256 / git sha1, then rename into place. A corrupted transfer is deleted and retried.
 */
export async function downloadFile(
  client: HubClient,
  file: { ref: RepoRef; path: string },
  options: DownloadFileOptions,
): Promise<DownloadedFile> {
  const { dest, expected } = options;
  const part = `${dest}.incomplete`;
  const report = options.onProgress ?? (() => {});
  const idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  await Deno.mkdir(dirname(dest), { recursive: true });
  if (options.force) {
    await removeIfExists(part);
  } else {
    const sha256 = await verifyExisting(dest, expected);
    if (sha256) {
      await removeIfExists(part);
      report(expected.size);
      return { size: expected.size, sha256, transferred: 0, reused: true };
    }
  }

  let transferred = 0;
  const sha256 = await withRetry(async ({ progressed }) => {
    let offset = (await fileSize(part)) ?? 0;
    if (offset > expected.size) {
      await removeIfExists(part);
      offset = 0;
    }
    report(offset);
    const hasher = new FileHasher(expected.size, Boolean(expected.gitSha1));
    if (offset < expected.size) {
      offset = await fetchInto(client, file, {
        part,
        offset,
        hasher,
        report,
        idleTimeoutMs,
        limit: expected.size,
        // Counted per chunk so bytes from a transfer that later breaks off still count.
        received: (bytes) => {
          transferred += bytes;
          progressed();
        },
      });
    } else {
      await hashPrefix(part, offset, hasher);
    }
    if (offset !== expected.size) {
      if (offset > expected.size) await removeIfExists(part);
      throw new RetryableError(
        `${file.path}: got ${offset} bytes, expected ${expected.size}`,
      );
    }
    const digest = hasher.digest();
    const problem = mismatch(expected, digest);
    if (problem) {
      await removeIfExists(part);
      report(0);
      throw new RetryableError(`${file.path}: corrupted download (${problem}); fetching again`);
    }
    return digest.sha256;
  }, {
    ...client.retryOptions,
    onRetry: ({ delayMs, error }) => {
      options.onRetry?.(`${error.message}; retrying in ${(delayMs / 1000).toFixed(1)} s`);
    },
  });
  await Deno.rename(part, dest);
  return { size: expected.size, sha256, transferred, reused: false };
}

/**
 * One request: append the body to `part` from `offset` (or rewrite it on a 200), hashing as it
 * goes. Returns the part's size; a dropped or stalled transfer throws {@linkcode RetryableError}
 * after keeping what arrived.
 */
async function fetchInto(
  client: HubClient,
  file: { ref: RepoRef; path: string },
  options: {
    part: string;
    offset: number;
    hasher: FileHasher;
    report: (bytesDone: number) => void;
    received: (bytes: number) => void;
    idleTimeoutMs: number;
    /** The expected file size: nothing past it is written. */
    limit: number;
  },
): Promise<number> {
  const { part, hasher, report } = options;
  let offset = options.offset;
  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => abort.abort(), options.idleTimeoutMs);
  };
  try {
    arm();
    let response: Response;
    try {
      response = await client.openFile(file.ref, file.path, { offset, signal: abort.signal });
    } catch (error) {
      if (abort.signal.aborted) throw new RetryableError(`${file.path}: no answer, retrying`);
      throw error;
    }
    if (response.status === 416) {
      await response.body?.cancel();
      await removeIfExists(part);
      throw new RetryableError(`${file.path}: range not satisfiable; starting over`);
    }
    if (response.status === 206) {
      const start = contentRangeStart(response.headers.get("content-range"));
      if (start !== offset) {
        await response.body?.cancel();
        await removeIfExists(part);
        throw new RetryableError(`${file.path}: server resumed at the wrong offset; starting over`);
      }
      await hashPrefix(part, offset, hasher);
    } else {
      offset = 0; // a 200 is the whole file: start over
      report(0);
    }
    const announced = Number(response.headers.get("content-length") ?? NaN);
    if (Number.isFinite(announced) && offset + announced > options.limit) {
      await response.body?.cancel();
      await removeIfExists(part);
      throw new RetryableError(
        `${file.path}: corrupt transfer: the server announced ${offset + announced} bytes, ` +
          `expected ${options.limit}`,
      );
    }
    using out = await Deno.open(part, {
      write: true,
      create: true,
      append: offset > 0,
      truncate: offset === 0,
    });
    if (!response.body) return offset;
    let oversize = false;
    try {
      for await (const chunk of response.body) {
        arm();
        if (offset + chunk.length > options.limit) {
          // More than the file can hold (e.g. an endless body): write nothing past the size.
          oversize = true;
          break;
        }
        hasher.update(chunk);
        await writeAll(out, chunk);
        offset += chunk.length;
        options.received(chunk.length);
        report(offset);
      }
    } catch (error) {
      if (oversize) throw error;
      const why = abort.signal.aborted
        ? "stalled"
        : error instanceof Error
        ? error.message
        : String(error);
      throw new RetryableError(
        `${file.path}: transfer from ${printableUrl(response.url || file.path)} broke off at ` +
          `${offset} bytes (${why})`,
        { cause: error },
      );
    }
    if (oversize) {
      await removeIfExists(part);
      throw new RetryableError(
        `${file.path}: corrupt transfer: the server sent more than the expected ` +
          `${options.limit} bytes`,
      );
    }
    return offset;
  } finally {
    clearTimeout(timer);
  }
}
