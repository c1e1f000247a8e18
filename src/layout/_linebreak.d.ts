// Types of npm `linebreak` (it ships none): the UAX #14 break iterator.

/** One break opportunity: a line may start at `position` (UTF-16 index). */
export interface Break {
  position: number;
  /** True for a mandatory break (after a newline character). */
  required: boolean;
}

/** Iterates the UAX #14 break opportunities of a string, in order, ending at its length. */
export default class LineBreaker {
  constructor(text: string);
  nextBreak(): Break | null;
}
