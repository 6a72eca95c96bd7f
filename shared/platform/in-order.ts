/**
 * Releases work numbered 0, 1, 2, … in that order, whatever order it arrives in: layers are read
 * concurrently and finish in any order, but a CI log should list them as the image stacks them.
 */
export class InOrder {
  private next = 0;
  private readonly waiting = new Map<number, () => void>();

  /** Runs `work` now if every lower number has run, else when they have. */
  add(position: number, work: () => void): void {
    this.waiting.set(position, work);
    for (let ready = this.waiting.get(this.next); ready !== undefined; ready = this.waiting.get(this.next)) {
      this.waiting.delete(this.next);
      this.next += 1;
      ready();
    }
  }
}
