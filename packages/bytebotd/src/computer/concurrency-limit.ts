/** At most `limit` pieces of work at once; the others wait their turn, first come first served. */
export class ConcurrencyLimit {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {}

  /** Work running now, and work waiting for a turn. */
  get load(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length };
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) this.active += 1;
    // A finishing piece hands its turn straight to the next, so `active` never dips for a newcomer to jump in.
    else await new Promise<void>((resolvePromise) => this.waiting.push(resolvePromise));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}
