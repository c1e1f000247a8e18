/** The shard lock and the temp files a killed run leaves: who owns them, when they may go. */
import { basename, dirname, join } from "node:path";
import { parseTempFileName, parseVideoFileName } from "../paths/mod.ts";

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

/** Remove temp files a killed run of this shard left behind (this shard's indices, dead owners). */
export async function removeStaleTemps(
  videoDir: string,
  dataset: string,
  start: number,
  end: number,
) {
  try {
    for await (const entry of Deno.readDir(videoDir)) {
      const temp = parseTempFileName(entry.name);
      const video = temp && parseVideoFileName(temp.target);
      if (
        video?.dataset === dataset && video.index >= start && video.index < end &&
        !processAlive(temp!.pid)
      ) {
        await Deno.remove(join(videoDir, entry.name)).catch(() => {});
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/** Remove temp files of these final paths that a killed run left (`.NAME.PID.N.tmp`). */
export async function removeStaleFileTemps(finals: string[]): Promise<void> {
  for (const final of finals) {
    for await (const entry of Deno.readDir(dirname(final))) {
      const temp = parseTempFileName(entry.name);
      if (temp?.target === basename(final) && !processAlive(temp.pid)) {
        await Deno.remove(join(dirname(final), entry.name)).catch(() => {});
      }
    }
  }
}

/**
 * Take the shard's lock file (`.DATASET_KIND_START.lock`: `pid host`), so a re-submitted array
 * task cannot render the same shard twice at once. A lock whose process is gone from this host
 * is taken over; a live one, or one from another host, is a one-line error. Returns the release.
 */
export async function lockShard(outDir: string, name: string): Promise<() => Promise<void>> {
  const path = join(outDir, `.${name}.lock`);
  const host = Deno.hostname();
  const mine = `${Deno.pid} ${host}\n`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await Deno.writeTextFile(path, mine, { createNew: true });
      return async () => {
        const now = await Deno.readTextFile(path).catch(() => "");
        if (now === mine) await Deno.remove(path).catch(() => {});
      };
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
    const [pidText, owner] = (await Deno.readTextFile(path).catch(() => "")).trim().split(" ");
    const pid = Number(pidText);
    if (owner === host && Number.isInteger(pid) && pid > 0 && !processAlive(pid)) {
      await Deno.remove(path).catch(() => {}); // its run was killed: take over
      continue;
    }
    throw new Error(
      `shard already being rendered by pid ${pidText || "?"} on ${owner || "?"} (lock ${path}); ` +
        `if that run is gone, delete the lock file and run again`,
    );
  }
  throw new Error(`could not take the shard lock ${path}`);
}
