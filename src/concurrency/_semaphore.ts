/** A counting semaphore whose limit can change while in use. */
export class Semaphore {
  #limit: number;
  #active = 0;
  #waiters: Array<() => void> = [];

  constructor(limit: number) {
    this.#limit = Semaphore.#check(limit);
  }

  static #check(limit: number): number {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new Error(`concurrency must be a positive integer, got ${limit}`);
    }
    return limit;
  }

  /** Current limit. */
  get limit(): number {
    return this.#limit;
  }

  /** Change the limit; waiters start at once if the new limit allows. */
  setLimit(limit: number): void {
    this.#limit = Semaphore.#check(limit);
    this.#drain();
  }

  /** Run `fn` holding one slot. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#active >= this.#limit) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    } else {
      this.#active++;
    }
    try {
      return await fn();
    } finally {
      this.#active--;
      this.#drain();
    }
  }

  #drain(): void {
    while (this.#active < this.#limit && this.#waiters.length > 0) {
      this.#active++;
      this.#waiters.shift()!();
    }
  }
}
