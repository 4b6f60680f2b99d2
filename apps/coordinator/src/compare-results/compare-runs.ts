// Two run reports figure by figure: the whole-window values, each judged on the per-second values of the two
// measured windows (a tally exactly; schema 2 reports, without series, not judged).
import { hasTimeSeries } from '../results/read-result.js';
import { COMPARE_METRICS, type AnyReport, type RunFigure } from './compare-metrics.js';
import type { ComparedSide, ComparisonGroup, Judgement } from './comparison.js';
import { judgeExact, judgeSamples } from './judge.js';
import { measuredIndexes, measuredValues } from './measured-seconds.js';
import { metricComparison } from './metric-row.js';

/** The one group of a run comparison. */
export const RUN_GROUP = 'run';

export function compareRunReports(base: AnyReport, next: AnyReport, alpha: number): ComparisonGroup {
  const metrics = COMPARE_METRICS.flatMap((metric) => {
    if (metric.run === undefined) return [];
    const figure = metric.run;
    return [metricComparison(metric, figure.value(base), figure.value(next), judge(figure, base, next, alpha))];
  });
  return { name: RUN_GROUP, metrics };
}

function judge(figure: RunFigure, base: AnyReport, next: AnyReport, alpha: number): Judgement {
  switch (figure.judged.by) {
    case 'exact':
      return judgeExact(figure.value(base), figure.value(next));
    case 'none':
      return { kind: 'not-judged', reason: figure.judged.reason };
    case 'series': {
      if (!hasTimeSeries(base) || !hasTimeSeries(next)) {
        const old = !hasTimeSeries(base) ? (!hasTimeSeries(next) ? 'both reports are' : 'the base is') : 'new is';
        return {
          kind: 'not-judged',
          reason: `${old} of schema 2, without per-second series: re-run with this build (pnpm harness --json FILE) to judge significance`,
        };
      }
      const { perSecond } = figure.judged;
      return judgeSamples(
        measuredValues(base.timeSeries, perSecond),
        measuredValues(next.timeSeries, perSecond),
        alpha,
        'seconds',
      );
    }
  }
}

/** What one run report was. */
export function runSide(path: string, report: AnyReport): ComparedSide {
  return {
    path,
    kind: 'run',
    schemaVersion: report.schemaVersion,
    id: report.run.id,
    startedAt: report.run.startedAt,
    durationMs: report.run.durationMs,
    outcome: report.outcome,
    measuredSeconds: hasTimeSeries(report) ? measuredIndexes(report.timeSeries).length : null,
  };
}
