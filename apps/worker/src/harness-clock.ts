// The worker's harness clock: its monotonic clock minus its offset from the coordinator's clock table, i.e. the
// coordinator's clock, so every time a worker takes is comparable with every other worker's, on any host.
import { monotonicNowUs, type Clock, type CoordinatorMessageOf } from '@evbridge/protocol';

export class HarnessClock {
  #offsetUs = 0;
  #uncertaintyUs = 0;

  /** `raw`: the worker's own monotonic clock (tests inject one seconds away). */
  constructor(readonly raw: Clock = monotonicNowUs) {}

  /**
   * The coordinator's clock as this worker reads it. A new offset steps it: a pacer on it keeps its schedule on the
   * coordinator's clock (events due in a step forward go out at once, a step back waits), stats boundaries follow.
   */
  readonly now: Clock = () => this.raw() - this.#offsetUs;

  /** Worker clock minus coordinator clock in use (0 until the first clock table). */
  get offsetUs(): number {
    return this.#offsetUs;
  }

  get uncertaintyUs(): number {
    return this.#uncertaintyUs;
  }

  /** Takes this worker's row of the clock table; throws naming the fix when the table has none for it. */
  apply(message: CoordinatorMessageOf<'clock'>): void {
    const { index } = message;
    const row = message.offsets[index];
    if (row === undefined)
      throw new Error(
        `the clock table has ${message.offsets.length} rows, none for worker ${index}: coordinator and worker disagree on the fleet (rebuild both with \`pnpm build\`)`,
      );
    this.#offsetUs = row.offsetUs;
    this.#uncertaintyUs = row.uncertaintyUs;
  }
}
