/**
 * The shard lock and the temp files a run leaves: who owns them, and when another run may take
 * them over or remove them. Both name their host, because PIDs repeat across the nodes that
 * share one output folder.
 */
import { basename, dirname, join } from "node:path";
import { hostTag, parseTempFileName, parseVideoFileName } from "../paths/mod.ts";

/** How often a held lock's mtime is refreshed (the heartbeat). */
export const LOCK_HEARTBEAT_MS = 30_000;

/**
 * A lock of another host whose heartbeat is older than this is stale and may be taken over
 * (20 missed heartbeats: far beyond any clock skew or storage hiccup of a shared filesystem).
 */
export const LOCK_STALE_MS = 10 * 60_000;

/**
 * Whether process `pid` runs on this host. Where `/proc` cannot tell (not Linux), assume it
 * does: a temp file kept by mistake costs a little space, one removed by mistake kills a run.
 */
export function processAlive(pid: number): boolean {
  if (pid === Deno.pid) return true;
  try {
    Deno.statSync("/proc/self");
  } catch {
    return true;
  }
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}

/** Which temp files a cleanup may remove besides this host's whose process is gone. */
export interface TempCleanup {
  /** Only this process's own temps (after an interrupt). */
  own?: boolean;
  /** The owner of a stale lock this run took over: its temps are a dead run's too. */
  takenFrom?: { pid: number; host: string } | null;
}

/** Whether a temp file may be removed: this host's and its writer is gone (see {@link TempCleanup}). */
function removable(temp: { pid: number; host: string | null }, options: TempCleanup = {}): boolean {
  const dead = options.takenFrom;
  if (!options.own && dead && temp.host === dead.host && temp.pid === dead.pid) return true;
  if (temp.host !== null && temp.host !== hostTag()) return false;
  if (options.own) return temp.pid === Deno.pid && temp.host !== null;
  return !processAlive(temp.pid);
}

/**
 * Remove this shard's video temp files (indices `[start, end)`) that a killed run of this host
 * left, or with `own` the ones this process left (on an interrupt). Another host's temps are
 * never touched: their run may be alive.
 */
export async function removeStaleTemps(
  videoDir: string,
  shard: { dataset: string; start: number; end: number } & TempCleanup,
): Promise<void> {
  try {
    for await (const entry of Deno.readDir(videoDir)) {
      const temp = parseTempFileName(entry.name);
      const video = temp && parseVideoFileName(temp.target);
      if (
        video?.dataset === shard.dataset && video.index >= shard.start &&
        video.index < shard.end && removable(temp!, shard)
      ) {
        await Deno.remove(join(videoDir, entry.name)).catch(() => {});
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/** Remove temp files of these final paths that a killed run of this host left. */
export async function removeStaleFileTemps(
  finals: string[],
  options: TempCleanup = {},
): Promise<void> {
  for (const final of finals) {
    for await (const entry of Deno.readDir(dirname(final))) {
      const temp = parseTempFileName(entry.name);
      if (temp?.target === basename(final) && removable(temp, options)) {
        await Deno.remove(join(dirname(final), entry.name)).catch(() => {});
      }
    }
  }
}

/** Locks this process holds, so a forced exit can still release them (synchronously). */
const held = new Map<string, string>();

/** Release every lock this process holds, synchronously: the last step of a forced exit. */
export function releaseHeldLocksSync(): void {
  for (const [path, mine] of held) {
    try {
      if (Deno.readTextFileSync(path) === mine) Deno.removeSync(path);
    } catch {
      // Gone already.
    }
  }
  held.clear();
}

/** The shard lock file of `name` in `outDir` (`.NAME.lock`, holding `pid host`). */
export function shardLockPath(outDir: string, name: string): string {
  return join(outDir, `.${name}.lock`);
}

/** Who holds a lock file, and when it last beat. */
export interface LockOwner {
  pid: number;
  host: string;
  /** Milliseconds since the lock's mtime (its last heartbeat). */
  ageMs: number;
}

/** Read a lock file's owner, or null if there is none. */
export async function readLock(path: string): Promise<LockOwner | null> {
  try {
    const [text, stat] = await Promise.all([Deno.readTextFile(path), Deno.stat(path)]);
    const [pidText, host] = text.trim().split(" ");
    return {
      pid: Number(pidText),
      host: host ?? "",
      ageMs: Date.now() - (stat.mtime?.getTime() ?? 0),
    };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

/** Why `owner`'s lock may be taken over, or null while it may belong to a live run. */
function staleReason(owner: LockOwner): string | null {
  const validPid = Number.isInteger(owner.pid) && owner.pid > 0;
  if (owner.host === hostTag() && validPid && !processAlive(owner.pid)) {
    return `pid ${owner.pid} is gone from this host`;
  }
  if (owner.ageMs > LOCK_STALE_MS) {
    return `no heartbeat for ${Math.round(owner.ageMs / 1000)} s (> ${LOCK_STALE_MS / 1000} s)`;
  }
  return null;
}

/**
 * Take a stale lock out of the way by renaming it aside (only one contender's rename can
 * succeed), then check that what moved is still the stale lock, not a fresh one just written.
 */
async function moveStaleLock(path: string, seen: LockOwner): Promise<boolean> {
  const aside = `${path}.stale@${hostTag()}.${Deno.pid}`;
  try {
    await Deno.rename(path, aside);
  } catch {
    return false;
  }
  const moved = await readLock(aside).catch(() => null);
  if (moved && moved.pid === seen.pid && moved.host === seen.host && staleReason(moved)) {
    await Deno.remove(aside).catch(() => {});
    return true;
  }
  // Another run took it over between our read and rename: give its lock back.
  await Deno.rename(aside, path).catch(() => {});
  return false;
}

/** A held shard lock. */
export interface ShardLock {
  release(): Promise<void>;
  /** The owner of the stale lock this one replaced, if any (its temps may go). */
  takenFrom: { pid: number; host: string } | null;
}

/**
 * Take the shard's lock file (`.DATASET_KIND_START.lock`: `pid host`), so a re-submitted array
 * task cannot render the same shard twice at once. While held, its mtime is refreshed every
 * {@link LOCK_HEARTBEAT_MS}. A lock is taken over when its process is gone from this host, or
 * when its heartbeat is older than {@link LOCK_STALE_MS} (a node that died); otherwise taking it
 * is a one-line error.
 */
export async function lockShard(outDir: string, name: string): Promise<ShardLock> {
  const path = shardLockPath(outDir, name);
  const mine = `${Deno.pid} ${hostTag()}\n`;
  let takenFrom: ShardLock["takenFrom"] = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await Deno.writeTextFile(path, mine, { createNew: true });
      held.set(path, mine);
      const heartbeat = setInterval(() => {
        const now = new Date();
        Deno.utime(path, now, now).catch(() => {});
      }, LOCK_HEARTBEAT_MS);
      Deno.unrefTimer(heartbeat);
      const release = async () => {
        clearInterval(heartbeat);
        held.delete(path);
        const now = await Deno.readTextFile(path).catch(() => "");
        if (now === mine) await Deno.remove(path).catch(() => {});
      };
      return { release, takenFrom };
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
    const owner = await readLock(path);
    if (!owner) continue; // released between our two steps
    if (staleReason(owner) && await moveStaleLock(path, owner)) {
      takenFrom = { pid: owner.pid, host: owner.host };
      continue;
    }
    if (staleReason(owner)) continue;
    throw new Error(
      `shard already being rendered by pid ${owner.pid || "?"} on ${owner.host || "?"} ` +
        `(lock ${path}, heartbeat ${Math.round(owner.ageMs / 1000)} s ago); it is taken over ` +
        `once its heartbeat is ${LOCK_STALE_MS / 60_000} minutes old, or delete it if that run ` +
        `is gone`,
    );
  }
  throw new Error(`could not take the shard lock ${path}; run again`);
}
