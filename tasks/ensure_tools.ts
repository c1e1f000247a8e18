/**
 * Make sure the system tools a task needs are on PATH. Missing ones are installed with apt-get
 * when running as root; otherwise this stops with the exact command to run.
 *
 * Usage: deno run -A tasks/ensure_tools.ts ffmpeg espeak-ng slurm
 *
 * @module
 */

interface Tool {
  /** Binaries that must all be on PATH. */
  binaries: string[];
  /** Debian packages that provide them. */
  packages: string[];
  /** Data files of which one must exist (any of these paths; globs not needed). */
  dataFiles?: string[][];
}

/** Tesseract's data folders across Debian releases (4.x and 5.x). */
const TESSDATA = ["/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata"];

const TOOLS: Record<string, Tool> = {
  ffmpeg: { binaries: ["ffmpeg", "ffprobe"], packages: ["ffmpeg"] },
  "espeak-ng": { binaries: ["espeak-ng"], packages: ["espeak-ng"] },
  slurm: {
    binaries: ["sbatch", "squeue", "sinfo", "scontrol", "slurmctld", "slurmd", "munged"],
    packages: ["slurm-wlm", "munge"],
  },
  // `videoword score`: OCR in English and Simplified Chinese (Apache-2.0).
  tesseract: {
    binaries: ["tesseract"],
    packages: ["tesseract-ocr", "tesseract-ocr-eng", "tesseract-ocr-chi-sim"],
    dataFiles: [
      TESSDATA.map((dir) => `${dir}/eng.traineddata`),
      TESSDATA.map((dir) => `${dir}/chi_sim.traineddata`),
    ],
  },
  // The score report's test loads the page in headless Chromium.
  chromium: { binaries: ["chromium"], packages: ["chromium"] },
};

function anyExists(paths: string[]): boolean {
  return paths.some((path) => {
    try {
      return Deno.statSync(path).isFile;
    } catch {
      return false;
    }
  });
}

function present(tool: Tool): boolean {
  return tool.binaries.every(onPath) && (tool.dataFiles ?? []).every(anyExists);
}

function onPath(binary: string): boolean {
  const dirs = (Deno.env.get("PATH") ?? "").split(":").concat(["/usr/sbin", "/sbin"]);
  for (const dir of dirs) {
    try {
      const info = Deno.statSync(`${dir}/${binary}`);
      if (info.isFile && (info.mode ?? 0o111) & 0o111) return true;
    } catch {
      // not in this folder
    }
  }
  return false;
}

function isRoot(): boolean {
  try {
    return Deno.uid() === 0;
  } catch {
    return false;
  }
}

/**
 * apt-get with the terminal inherited, so its progress shows as it goes: the one child outside
 * `src/process/`, whose runner captures output.
 */
async function run(cmd: string, args: string[]): Promise<boolean> {
  const status = await new Deno.Command(cmd, {
    args,
    env: { DEBIAN_FRONTEND: "noninteractive" },
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn().status;
  return status.success;
}

/** Check (and if possible install) the named tools; resolves to the process exit code. */
export async function ensureTools(names: string[]): Promise<number> {
  const unknown = names.filter((n) => !(n in TOOLS));
  if (unknown.length > 0) {
    console.error(`ensure_tools: unknown tool(s) ${unknown.join(", ")}`);
    return 2;
  }
  const missing = names.filter((n) => !present(TOOLS[n]));
  if (missing.length === 0) return 0;
  const packages = [...new Set(missing.flatMap((n) => TOOLS[n].packages))];
  const command = `apt-get update && apt-get install -y --no-install-recommends ${
    packages.join(" ")
  }`;
  if (!isRoot()) {
    console.error(`Missing: ${missing.join(", ")}. Install with:\n  sudo sh -c '${command}'`);
    return 1;
  }
  console.error(`Installing ${packages.join(", ")} (missing: ${missing.join(", ")}) ...`);
  const ok = await run("apt-get", ["update", "-qq"]) &&
    await run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...packages]);
  const still = names.filter((n) => !present(TOOLS[n]));
  if (!ok || still.length > 0) {
    console.error(`Could not install ${still.join(", ") || packages.join(", ")}; run: ${command}`);
    return 1;
  }
  return 0;
}

if (import.meta.main) {
  Deno.exit(await ensureTools(Deno.args));
}
