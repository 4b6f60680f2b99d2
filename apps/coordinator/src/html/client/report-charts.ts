// The page's script: draws every chart of the page data with uPlot, and draws them all again from new data. It is put
// into the page as source text (Function.prototype.toString), so it stands alone: no imports at run time, no values
// from outside the function; the document, uPlot and the window come in as arguments.
import type uPlot from 'uplot';
import type { ChartSpec, PageData } from '../page-data.js';

/** What the script uses of a DOM element (the coordinator compiles without the DOM library). */
export interface ClientElement {
  readonly clientWidth: number;
  textContent: string | null;
  setAttribute(name: string, value: string): void;
}

export interface ClientDocument {
  getElementById(id: string): ClientElement | null;
}

export interface ClientWindow {
  addEventListener(type: 'resize', listener: () => void): void;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  console: { error(...values: unknown[]): void };
}

/** What the page keeps in window.evbridgeReport. */
export interface ReportCharts {
  /** Draws every chart of `data` (replacing those drawn before); a chart that fails says why in its place. */
  render(data: PageData): void;
}

export function startReportCharts(doc: ClientDocument, UPlot: typeof uPlot, win: ClientWindow): ReportCharts {
  const CHART_HEIGHT = 300;
  const drawn: Array<{ plot: uPlot; host: ClientElement }> = [];

  const formatNumber = (value: number | null | undefined, none = '-'): string => {
    if (value === null || value === undefined || !Number.isFinite(value)) return none;
    if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
    return String(Math.round(value * 100) / 100);
  };

  /** 1 / (1 - p) back to "99.9%". */
  const percentileLabel = (x: number | null): string =>
    x === null || !(x >= 1) ? '-' : `${Number((100 - 100 / x).toFixed(5))}%`;
  const X_LEGEND = { seconds: 's', percentile: 'percentile', rate: 'events/s', round: 'round' } as const;

  function xScale(spec: ChartSpec): uPlot.Scale {
    if (spec.xKind === 'percentile') return { time: false, distr: 3, log: 10, range: () => [1, 100_000] };
    const range = spec.xRange;
    if (spec.xKind === 'rate') {
      return { time: false, distr: 3, log: 10, range: (_u, min, max) => [min / 1.25, max * 1.25] };
    }
    return range === undefined ? { time: false } : { time: false, range: () => [range[0], range[1]] };
  }

  function xAxis(spec: ChartSpec): uPlot.Axis {
    const axis: uPlot.Axis = { label: spec.xLabel, labelSize: 20 };
    if (spec.xKind === 'percentile') {
      axis.splits = () => [1, 10, 100, 1_000, 10_000, 100_000];
      axis.values = (_u, splits) => splits.map(percentileLabel);
    } else {
      axis.values = (_u, splits) => splits.map((split) => formatNumber(split, ''));
    }
    // Rounds are whole: no tick between round 1 and round 2.
    if (spec.xKind === 'round') axis.incrs = [1, 2, 5, 10, 20, 50, 100];
    return axis;
  }

  /** The warm-up and faults shaded under the lines. */
  function shade(u: uPlot, spec: ChartSpec): void {
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    ctx.save();
    for (const band of spec.bands ?? []) {
      const from = Math.max(left, u.valToPos(band.fromX, 'x', true));
      const to = Math.min(left + width, u.valToPos(band.toX, 'x', true));
      if (to < from) continue;
      ctx.fillStyle = band.kind === 'fault' ? 'rgba(214, 39, 40, 0.22)' : 'rgba(120, 120, 120, 0.15)';
      // A fault of a few milliseconds still shows: at least 3 pixels wide.
      ctx.fillRect(from, top, Math.max(to - from, 3 * UPlot.pxRatio), height);
    }
    ctx.restore();
  }

  /** The bands' labels and the measured window's edges, over the lines. */
  function annotate(u: uPlot, spec: ChartSpec): void {
    const ctx = u.ctx;
    const px = UPlot.pxRatio;
    const { left, top, width, height } = u.bbox;
    ctx.save();
    ctx.font = `${11 * px}px system-ui, sans-serif`;
    ctx.textBaseline = 'top';
    (spec.bands ?? []).forEach((band, index) => {
      const from = Math.max(left, u.valToPos(band.fromX, 'x', true));
      if (from > left + width) return;
      const room = left + width - from > ctx.measureText(band.label).width + 6 * px;
      ctx.textAlign = room ? 'left' : 'right';
      ctx.fillStyle = band.kind === 'fault' ? '#a11d1d' : '#555555';
      ctx.fillText(band.label, room ? from + 4 * px : from - 4 * px, top + (4 + (index % 3) * 14) * px);
    });
    for (const marker of spec.markers ?? []) {
      const x = u.valToPos(marker.x, 'x', true);
      if (x < left - 1 || x > left + width + 1) continue;
      ctx.strokeStyle = '#333333';
      ctx.lineWidth = px;
      ctx.setLineDash([4 * px, 3 * px]);
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      ctx.setLineDash([]);
      const room = left + width - x > ctx.measureText(marker.label).width + 6 * px;
      ctx.textAlign = room ? 'left' : 'right';
      ctx.fillStyle = '#333333';
      ctx.fillText(marker.label, room ? x + 4 * px : x - 4 * px, top + height - 16 * px);
    }
    ctx.restore();
  }

  function optionsFor(spec: ChartSpec, width: number): uPlot.Options {
    const right = spec.series.some((series) => series.rightAxis === true);
    const axes: uPlot.Axis[] = [
      xAxis(spec),
      {
        scale: 'y',
        label: spec.yLabel,
        labelSize: 20,
        size: 72,
        values: (_u, splits) => splits.map((split) => formatNumber(split, '')),
      },
    ];
    const scales: uPlot.Scales = {
      x: xScale(spec),
      y: spec.yLog ? { distr: 3, log: 10 } : { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.08 : 1] },
    };
    if (right) {
      axes.push({
        scale: 'y2',
        side: 1,
        label: spec.y2Label ?? '',
        labelSize: 20,
        size: 56,
        grid: { show: false },
        values: (_u, splits) => splits.map((split) => formatNumber(split, '')),
      });
      scales['y2'] = { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] };
    }
    return {
      width,
      height: CHART_HEIGHT,
      scales,
      axes,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      series: [
        {
          label: X_LEGEND[spec.xKind],
          value: (_u, v) => (spec.xKind === 'percentile' ? percentileLabel(v) : formatNumber(v)),
        },
        ...spec.series.map(
          (series): uPlot.Series => ({
            label: series.label,
            stroke: series.color,
            width: series.width ?? 2,
            scale: series.rightAxis === true ? 'y2' : 'y',
            spanGaps: series.spanGaps === true,
            points: { show: series.points === true, size: 7, fill: series.color, stroke: series.color },
            value: (_u, v) => formatNumber(v),
            ...(series.dash === undefined ? {} : { dash: series.dash }),
          }),
        ),
      ],
      hooks: { drawClear: [(u) => shade(u, spec)], draw: [(u) => annotate(u, spec)] },
    };
  }

  function render(data: PageData): void {
    for (const chart of drawn.splice(0)) chart.plot.destroy();
    for (const spec of data.charts) {
      const host = doc.getElementById(`chart-${spec.id}`);
      if (host === null) continue;
      host.textContent = '';
      try {
        const width = Math.max(320, host.clientWidth);
        const values = [spec.x, ...spec.series.map((series) => series.values)] as uPlot.AlignedData;
        drawn.push({ plot: new UPlot(optionsFor(spec, width), values, host as never), host });
        host.setAttribute('data-drawn', 'true');
      } catch (error) {
        host.textContent = `This chart could not be drawn: ${String(error)}`;
        win.console.error(`chart ${spec.id}:`, error);
      }
    }
  }

  let resizing: unknown;
  win.addEventListener('resize', () => {
    win.clearTimeout(resizing);
    resizing = win.setTimeout(() => {
      for (const chart of drawn)
        chart.plot.setSize({ width: Math.max(320, chart.host.clientWidth), height: CHART_HEIGHT });
    }, 100);
  });

  return { render };
}
