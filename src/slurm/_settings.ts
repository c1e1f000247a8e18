/** The cluster settings of one `submit`, as the option table resolves them (`src/options/`). */

/** `HH:MM:SS`, `MM:SS`, minutes, or `D-HH[:MM[:SS]]`: the forms Slurm's `--time` accepts. */
export const TIME_PATTERN = /^(\d+-\d{1,2}(:\d{1,2}){0,2}|\d+(:\d{1,2}){0,2})$/;

/** The resolved cluster settings of one `submit` (paths absolute). */
export interface SubmitSettings {
  /** Cap on array tasks per dataset × task; `null`: as many as `samplesPerNode` needs. */
  nodes: number | null;
  samplesPerNode: number;
  cpusPerTask: number;
  /** `null`: the cluster's default partition. */
  partition: string | null;
  time: string;
  /** `null`: the cluster's default memory. */
  mem: string | null;
  /** Absolute output root. */
  baseDir: string;
  /** Absolute download folder. */
  dataDir: string;
  /** Absolute log folder. */
  logsDir: string;
  sbatchArgs: string[];
}
