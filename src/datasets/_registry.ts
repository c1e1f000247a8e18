/** The datasets videoword knows. Adding one = a new module plus one line here. */
import { belleSchoolMath } from "./_belle_school_math.ts";
import { gsm8k } from "./_gsm8k.ts";
import { openmath2Gsm8k } from "./_openmath2_gsm8k.ts";
import { tinystories } from "./_tinystories.ts";
import { tinystoriesChinese } from "./_tinystories_chinese.ts";
import type { DatasetSpec } from "./_types.ts";

/** Every dataset, in the order `download --list` shows them. */
export const DATASETS: readonly DatasetSpec[] = [
  gsm8k,
  openmath2Gsm8k,
  belleSchoolMath,
  tinystories,
  tinystoriesChinese,
];
