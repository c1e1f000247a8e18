/**
 * `deno task slurm-up`: bring up a one-node Slurm "cluster" on this machine for development and
 * tests (root needed). Does nothing when `sinfo` already shows an idle node.
 *
 * State, spool, logs and pids live in `/tmp/videoword-slurm` (`VIDEOWORD_SLURM_DIR`); the
 * config is also written to `/etc/slurm/slurm.conf`, where Debian's client tools read it.
 *
 * @module
 */
import { join } from "node:path";
import { runProcess, type RunResult } from "../src/process/mod.ts";

/** Folder holding the config, state, logs and pid files. */
export const STATE_DIR: string = Deno.env.get("VIDEOWORD_SLURM_DIR") ?? "/tmp/videoword-slurm";
/** Where the client tools look for the config. */
export const SYSTEM_CONF = "/etc/slurm/slurm.conf";
/** Marks a config this script wrote (only such a file is ever overwritten). */
const MARKER = "# written by videoword tasks/slurm_up.ts";

async function run(bin: string, args: string[], timeoutMs = 20_000): Promise<RunResult> {
  return await runProcess(bin, args, { timeoutMs });
}

/** Does `sinfo` show an idle node? (false when Slurm is unreachable) */
export async function slurmIdle(): Promise<boolean> {
  try {
    const out = await run("sinfo", ["-h", "-o", "%t"], 10_000);
    if (!out.success) return false;
    return new TextDecoder().decode(out.stdout).split("\n").some((s) => s.trim() === "idle");
  } catch {
    return false;
  }
}

/** The one-node config. */
export function slurmConf(stateDir: string, cpus: number): string {
  return [
    MARKER,
    "ClusterName=videoword",
    "SlurmctldHost=localhost",
    "SlurmUser=root",
    "SlurmdUser=root",
    "AuthType=auth/none",
    "CredType=cred/none",
    `StateSaveLocation=${join(stateDir, "state")}`,
    `SlurmdSpoolDir=${join(stateDir, "spool")}`,
    `SlurmctldLogFile=${join(stateDir, "log", "slurmctld.log")}`,
    `SlurmdLogFile=${join(stateDir, "log", "slurmd.log")}`,
    `SlurmctldPidFile=${join(stateDir, "slurmctld.pid")}`,
    `SlurmdPidFile=${join(stateDir, "slurmd.pid")}`,
    "ProctrackType=proctrack/linuxproc",
    "TaskPlugin=task/none",
    "JobAcctGatherType=jobacct_gather/none",
    "AccountingStorageType=accounting_storage/none",
    "SelectType=select/cons_tres",
    "SelectTypeParameters=CR_CPU",
    "SchedulerParameters=batch_sched_delay=0,sched_min_interval=0",
    "MailProg=/bin/true",
    "ReturnToService=2",
    "MaxArraySize=1001",
    "MinJobAge=300",
    `NodeName=localhost CPUs=${cpus} RealMemory=1000 State=UNKNOWN`,
    "PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP",
    "",
  ].join("\n");
}

async function writeSystemConf(text: string): Promise<void> {
  try {
    const current = await Deno.readTextFile(SYSTEM_CONF);
    if (!current.startsWith(MARKER)) {
      throw new Error(`${SYSTEM_CONF} exists and was not written by slurm_up; not touching it`);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  await Deno.mkdir("/etc/slurm", { recursive: true });
  const temp = `${SYSTEM_CONF}.${crypto.randomUUID()}.tmp`;
  await Deno.writeTextFile(temp, text);
  await Deno.rename(temp, SYSTEM_CONF);
}

async function startDaemon(bin: string, args: string[]): Promise<void> {
  const out = await run(bin, args);
  if (!out.success) {
    throw new Error(`${bin} failed to start: ${out.stderr.trim()}`);
  }
}

/** Bring the one-node cluster up (idempotent); resolves when a node is idle. */
export async function slurmUp(options: { timeoutMs?: number; log?: boolean } = {}): Promise<void> {
  const log = options.log ?? true;
  if (await slurmIdle()) {
    if (log) console.log("slurm-up: a node is already idle; nothing to do");
    return;
  }
  if (Deno.uid() !== 0) throw new Error("slurm-up needs root (it writes /etc/slurm/slurm.conf)");
  for (const sub of ["state", "spool", "log"]) {
    await Deno.mkdir(join(STATE_DIR, sub), { recursive: true });
  }
  const conf = slurmConf(STATE_DIR, navigator.hardwareConcurrency || 1);
  await Deno.writeTextFile(join(STATE_DIR, "slurm.conf"), conf);
  await writeSystemConf(conf);
  // Stale daemons from an earlier run would hold the ports: stop them by their recorded pids.
  await stopRecorded(STATE_DIR);
  await startDaemon("slurmctld", ["-f", SYSTEM_CONF]);
  await startDaemon("slurmd", ["-f", SYSTEM_CONF, "-N", "localhost"]);
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (await slurmIdle()) {
      if (log) console.log(`slurm-up: node localhost idle (state in ${STATE_DIR})`);
      return;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`slurm-up: no idle node after 60 s; see ${join(STATE_DIR, "log")}`);
}

/** Stop daemons whose pid files are in `stateDir` (SIGTERM by pid). */
export async function stopRecorded(stateDir: string): Promise<number[]> {
  const stopped: number[] = [];
  for (const name of ["slurmd.pid", "slurmctld.pid"]) {
    let pid: number;
    try {
      pid = Number((await Deno.readTextFile(join(stateDir, name))).trim());
    } catch {
      continue;
    }
    if (!Number.isInteger(pid) || pid <= 1) continue;
    // Only signal the daemon itself, never a process that reused the pid.
    const comm = await Deno.readTextFile(`/proc/${pid}/comm`).catch(() => "");
    if (comm.trim() !== name.replace(".pid", "")) {
      await Deno.remove(join(stateDir, name)).catch(() => {});
      continue;
    }
    try {
      Deno.kill(pid, "SIGTERM");
      stopped.push(pid);
    } catch {
      // already gone
    }
    await Deno.remove(join(stateDir, name)).catch(() => {});
  }
  return stopped;
}

if (import.meta.main) {
  try {
    await slurmUp();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    Deno.exit(1);
  }
}
