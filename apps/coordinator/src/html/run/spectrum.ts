// The latency percentile spectrum as HdrHistogram plots it: x = 1 / (1 - p) on a log scale (0%, 90%, 99% ... 99.999%),
// y = latency, for intended-time and transit latency, computed from the report's encoded histograms.
import { LatencyRecorder, type PercentilePointUs } from '@evbridge/metrics';
import type { Report } from '../../model/report.js';
import type { ReportV2 } from '../../results/read-result.js';
import { seriesColor } from '../chart-figure.js';
import type { ChartSpec } from '../page-data.js';

/** The highest percentile plotted: 99.999%, x = 100,000. */
export const SPECTRUM_MAX_PERCENTILE = 99.999;
/** Points per halving of the distance to 100% (HdrHistogram's default is 5). */
const TICKS_PER_HALF_DISTANCE = 5;

export interface Spectrum {
  /** Absent when neither histogram has a sample (or could be read). */
  chart?: ChartSpec;
  /** Why a histogram is not plotted: empty, or unreadable. */
  notes: string[];
}

export function latencySpectrum(report: Report | ReportV2): Spectrum {
  const notes: string[] = [];
  const measures = [
    { key: 'latencyUs', label: 'from intended time' },
    { key: 'transitLatencyUs', label: 'transit' },
  ] as const;
  const spectra = measures.map((measure) => {
    const points = spectrumOf(report.histograms[measure.key], (note) => notes.push(`${measure.label}: ${note}`));
    return { ...measure, points };
  });
  const withPoints = spectra.filter((spectrum) => spectrum.points.length > 0);
  const reference = withPoints[0]?.points;
  if (reference === undefined) return { notes };
  const chart: ChartSpec = {
    id: 'latency-spectrum',
    title: 'Latency by percentile',
    // The walk's percentiles depend only on its settings: every non-empty spectrum has the same ones.
    x: reference.map((point) => 1 / (1 - point.percentile / 100)),
    xKind: 'percentile',
    xLabel: 'percentile',
    yLabel: 'latency (µs)',
    series: spectra.map((spectrum, index) => ({
      label: spectrum.label,
      values: reference.map((_, i) => spectrum.points[i]?.valueUs ?? null),
      color: seriesColor(index),
    })),
  };
  return { chart, notes };
}

function spectrumOf(encoded: string, note: (text: string) => void): PercentilePointUs[] {
  let recorder: LatencyRecorder;
  try {
    recorder = LatencyRecorder.decode(encoded);
  } catch (error) {
    note(`its histogram could not be read (${(error as Error).message})`);
    return [];
  }
  if (recorder.count === 0) {
    note('no samples');
    return [];
  }
  return recorder.percentileSpectrumUs(TICKS_PER_HALF_DISTANCE, SPECTRUM_MAX_PERCENTILE);
}
