// The seconds of a run a comparison tests: the intervals of its time series inside the measured window.
import type { ReportTimeSeries } from '../model/report.js';

/**
 * The share of an interval that must lie inside the measured window for it to count: the window as run ends a few
 * microseconds early or late (timers), which must not cost the last second; an interrupted run's fragment does not count.
 */
export const MEASURED_SHARE_MIN = 0.9;

/**
 * Indexes of the intervals [tMs - intervalMs, tMs) inside the measured window: the warm-up's seconds and a partial
 * last second (an interrupted run) are left out.
 */
export function measuredIndexes(series: ReportTimeSeries): number[] {
  const { fromMs, toMs } = series.marks.measured;
  const indexes: number[] = [];
  series.fleet.tMs.forEach((endMs, index) => {
    const insideMs = Math.min(endMs, toMs) - Math.max(endMs - series.intervalMs, fromMs);
    if (insideMs >= MEASURED_SHARE_MIN * series.intervalMs) indexes.push(index);
  });
  return indexes;
}

/** The values `read` gives for the measured seconds, the seconds without one (nothing received) left out. */
export function measuredValues(
  series: ReportTimeSeries,
  read: (series: ReportTimeSeries, index: number) => number | null,
): number[] {
  return measuredIndexes(series)
    .map((index) => read(series, index))
    .filter((value): value is number => value !== null && Number.isFinite(value));
}
