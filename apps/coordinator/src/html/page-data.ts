// What the page's charts are drawn from: the JSON in its <script id="report-data"> block, computed in Node from the
// report. The page's client script draws every chart in it and can draw them again from new data (a live page).

/** One line of a chart: a value per x (null: no data there), drawn in `color`. */
export interface ChartSeries {
  label: string;
  values: Array<number | null>;
  /** A CSS colour in #rrggbb form (the browser test looks for its pixels). */
  color: string;
  /** Canvas line dash, e.g. [6, 4]; absent = solid. */
  dash?: number[];
  /** Line width in CSS pixels; absent = 2. A wider line drawn first still shows under one drawn over it. */
  width?: number;
  /** Draw a dot at each value (sparse series such as find-max steps). */
  points?: boolean;
  /** Join values across nulls (points of one series at rates the others measured). */
  spanGaps?: boolean;
  /** On the right-hand axis (counts far smaller than the others, such as losses). */
  rightAxis?: boolean;
}

/** A shaded stretch of the x axis: the warm-up, a fault from its injection to its recovery. */
export interface ChartBand {
  fromX: number;
  toX: number;
  label: string;
  kind: 'warmup' | 'fault';
}

/** A labelled vertical line: where the measured window starts and ends. */
export interface ChartMarker {
  x: number;
  label: string;
}

/**
 * How the x axis reads: `seconds` linear; `percentile` x = 1 / (1 - p) on a log scale, labelled 0%, 90%, 99% ...
 * 99.999% (HdrHistogram's percentile plot); `rate` events/s on a log scale; `round` a bench's rounds 1, 2, 3 ...
 * (linear, whole numbers only).
 */
export type ChartXKind = 'seconds' | 'percentile' | 'rate' | 'round';

export interface ChartSpec {
  /** The chart is drawn into the element with id `chart-<id>`. */
  id: string;
  title: string;
  x: number[];
  xKind: ChartXKind;
  xLabel: string;
  /** The x axis from .. to (a run's warm-up start to its window's end); absent = the data's extent. */
  xRange?: [number, number];
  yLabel: string;
  /** Log scale on y (latency over time: a 60 ms stall and a 1 ms median on one chart). */
  yLog?: boolean;
  /** Label of the right-hand axis, when a series is on it. */
  y2Label?: string;
  series: ChartSeries[];
  bands?: ChartBand[];
  markers?: ChartMarker[];
}

/** Bumped when the shape changes (a live page refuses data of another version). */
export const PAGE_DATA_VERSION = 1;

export interface PageData {
  version: typeof PAGE_DATA_VERSION;
  charts: ChartSpec[];
}

/** What the page receives once a second: the charts' data, and each live figure's value and text by data-field. */
export interface LiveUpdate {
  phase: string;
  page: PageData;
  figures: Record<string, { value: number | null; text: string }>;
}
