/** The cluster settings of one `submit`, as the option table resolves them (`src/options/`). */

/** `HH:MM:SS`, `MM:SS`, minutes, or `D-HH[:MM[:SS]]`: the forms Slurm's `--time` accepts. */
export const TIME_PATTERN = /^(\d+-\d{1,2}(:\d{1,2}){0,2}|\d+(:\d{1,2}){0,2})$/;

/**
 * The settings of one `submit`: the one type of its option rows (`SUBMIT_OPTIONS` in
 * `src/options/`, which has one row per field and resolves them), taken as they are by the plan
 * and the script generator. `submitSettings` there makes the paths absolute.
 */
export interface SubmitSettings {
  /** The settings file given with `--config` (`undefined`: `./videoword.jsonc` when present). */
  config: string | undefined;
  /** Cap on array tasks per dataset × task; `null`: as many as `samplesPerNode` needs. */
  nodes: number | null;
  samplesPerNode: number;
  cpusPerTask: number;
  /** `null`: the cluster's default partition. */
  partition: string | null;
  time: string;
  /** Output root. */
  baseDir: string;
  /** Download folder. */
  dataDir: string;
  /** The split rendered (passed to render as `--split`). */
  split: string;
  /** `null`: the cluster's default memory (set in `videoword.jsonc` only). */
  mem: string | null;
  /** Log and script folder (set in `videoword.jsonc` only). */
  logsDir: string;
  /** Extra `sbatch` arguments (set in `videoword.jsonc` only). */
  sbatchArgs: string[];
  /** `undefined`: the download manifest's row count. */
  totalRows: number | undefined;
  /** Passed to render as `--source`; `undefined`: not passed. */
  source: string | undefined;
  /** `undefined`: the cluster's `MaxArraySize`. */
  maxArraySize: number | undefined;
}
