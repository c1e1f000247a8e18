/**
 * Stop the one-node Slurm started by `tasks/slurm_up.ts`: `scontrol shutdown`, then SIGTERM any
 * daemon still running, by the pids recorded in the state folder.
 *
 * @module
 */
import { runProcess } from "../src/process/mod.ts";
import { STATE_DIR, stopRecorded } from "./slurm_up.ts";

/** Shut the cluster down; resolves to the pids that were still alive and got SIGTERM. */
export async function slurmDown(): Promise<number[]> {
  try {
    await runProcess("scontrol", ["shutdown"], { stdout: "null", timeoutMs: 15_000 });
  } catch {
    // no scontrol or no controller: fall back to the pids
  }
  await new Promise((r) => setTimeout(r, 1000));
  return await stopRecorded(STATE_DIR);
}

if (import.meta.main) {
  const pids = await slurmDown();
  console.log(`slurm-down: stopped${pids.length ? ` (SIGTERM to ${pids.join(" ")})` : ""}`);
}
