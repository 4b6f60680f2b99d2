// A drivers-bench arm may name a delivery mode: `evbridge@at-least-once` is the evbridge driver in its durable mode.

import type { DeliveryName } from '../config/option-names.js';

/** The suffix that puts an arm in the durable mode (--delivery=at-least-once of pnpm harness). */
export const AT_LEAST_ONCE_SUFFIX = '@at-least-once';

/** The driver an arm runs and its delivery mode: `evbridge@at-least-once` -> evbridge, at-least-once. */
export function armDelivery(arm: string): { driver: string; delivery: DeliveryName } {
  return arm.endsWith(AT_LEAST_ONCE_SUFFIX)
    ? { driver: arm.slice(0, -AT_LEAST_ONCE_SUFFIX.length), delivery: 'at-least-once' }
    : { driver: arm, delivery: 'at-most-once' };
}

/** Whether any arm runs a durable mode: the bench's Redis then persists (appendonly), as a durable run's would. */
export function anyDurable(arms: readonly string[] | undefined): boolean {
  return (arms ?? []).some((arm) => armDelivery(arm).delivery === 'at-least-once');
}
