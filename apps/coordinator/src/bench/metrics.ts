// The figures one bench run yields, one registry entry each: key, label, unit and how to print it.

export const BENCH_METRIC_KEYS = [
  'latencyP50Us',
  'latencyP99Us',
  'latencyP999Us',
  'latencyMaxUs',
  'transitP50Us',
  'transitP99Us',
  'sendLagP50Us',
  'sendLagP99Us',
  'publishedEventsPerSec',
  'deliveredEventsPerSec',
  'deliveryRatio',
  'cpuUsPerDelivered',
  'rssPeakMeanMb',
  'rssPeakMaxMb',
  'ipcMessagesPerWorkerPerSec',
] as const;

export type BenchMetricKey = (typeof BENCH_METRIC_KEYS)[number];

/** One run's figures; null when the run has no data for it (no deliveries, a figure the report lacks). */
export type RunFigures = Record<BenchMetricKey, number | null>;

export interface BenchMetric {
  key: BenchMetricKey;
  /** Row label in tables. */
  label: string;
  /** Short column header for the sweep table. */
  short: string;
  /** Decimals to print. */
  digits: number;
  /** false for a figure the sweep table leaves out (it shows medians of latency, rate, CPU and mean memory). */
  inSweep?: false;
}

export const BENCH_METRICS: readonly BenchMetric[] = [
  { key: 'latencyP50Us', label: 'latency from intended p50 (us)', short: 'p50 us', digits: 0 },
  { key: 'latencyP99Us', label: 'latency from intended p99 (us)', short: 'p99 us', digits: 0 },
  { key: 'latencyP999Us', label: 'latency from intended p99.9 (us)', short: 'p99.9 us', digits: 0 },
  { key: 'latencyMaxUs', label: 'latency from intended max (us)', short: 'max us', digits: 0 },
  { key: 'transitP50Us', label: 'transit p50 (us)', short: 'tr p50', digits: 0 },
  { key: 'transitP99Us', label: 'transit p99 (us)', short: 'tr p99', digits: 0 },
  {
    key: 'sendLagP50Us',
    label: 'send lag p50 (us): publish call - intended time',
    short: 'lag p50',
    digits: 0,
    inSweep: false,
  },
  { key: 'sendLagP99Us', label: 'send lag p99 (us)', short: 'lag p99', digits: 0 },
  { key: 'publishedEventsPerSec', label: 'published (events/s)', short: 'pub/s', digits: 1 },
  { key: 'deliveredEventsPerSec', label: 'delivered (events/s)', short: 'dlv/s', digits: 1 },
  { key: 'deliveryRatio', label: 'delivery ratio', short: 'dlv', digits: 6 },
  { key: 'cpuUsPerDelivered', label: 'worker CPU per delivered event (us)', short: 'cpu us/ev', digits: 1 },
  { key: 'rssPeakMeanMb', label: 'worker peak RSS, mean (MB)', short: 'rss MB', digits: 1 },
  { key: 'rssPeakMaxMb', label: 'worker peak RSS, max (MB)', short: 'rss max', digits: 1, inSweep: false },
  {
    key: 'ipcMessagesPerWorkerPerSec',
    label: 'IPC messages per worker per second',
    short: 'ipc/s',
    digits: 2,
    inSweep: false,
  },
];

export function benchMetric(key: BenchMetricKey): BenchMetric {
  const metric = BENCH_METRICS.find((candidate) => candidate.key === key);
  if (metric === undefined) throw new RangeError(`unknown bench metric "${key}"`);
  return metric;
}
