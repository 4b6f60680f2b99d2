// The seconds of a run a comparison tests: the intervals of its time series wholly inside the measured window.
import type { ReportTimeSeries } from '../model/report.js';

/**
 * Indexes of the intervals [tMs - intervalMs, tMs) inside the measured window: the warm-up's seconds and a partial
 * last second (an interrupted run) are left out.
 */
export function measuredIndexes(series: ReportTimeSeries): number[] {
  const { fromMs, toMs } = series.marks.measured;
  const indexes: number[] = [];
  series.fleet.tMs.forEach((endMs, index) => {
    if (endMs - series.intervalMs >= fromMs && endMs <= toMs) indexes.push(index);
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
