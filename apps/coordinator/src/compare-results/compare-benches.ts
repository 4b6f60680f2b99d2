// Two bench results arm by arm (a driver or transport at a process count and pacer): the medians over each side's
// runs, judged on the runs' own figures as samples.
import type { BenchDocument } from '../bench/bench-document.js';
import type { BenchRun } from '../bench/run-pairs.js';
import { spanOf } from '../bench/summarize.js';
import { COMPARE_METRICS } from './compare-metrics.js';
import type { ComparedSide, ComparisonGroup } from './comparison.js';
import { judgeSamples } from './judge.js';
import { metricComparison } from './metric-row.js';

/** One arm's completed runs on each side. */
export interface Arm {
  name: string;
  base: BenchRun[];
  new: BenchRun[];
}

/** The arm a run belongs to, as tables name it: `evbridge, 5 procs` (the pacer added when not the bench's). */
function armName(run: BenchRun, benchPacer: string): string {
  const pacer = run.pacer === benchPacer ? '' : `, ${run.pacer}`;
  return `${run.transport}, ${run.procs} procs${pacer}`;
}

/** Arms in the base's order (then arms only the new side has); runs without figures are left out. */
export function armsOf(base: BenchDocument, next: BenchDocument): Arm[] {
  const arms = new Map<string, Arm>();
  const add = (doc: BenchDocument, side: 'base' | 'new') => {
    for (const run of doc.runs) {
      if (run.figures === null) continue;
      const name = armName(run, doc.settings.pacer);
      const arm = arms.get(name) ?? { name, base: [], new: [] };
      arm[side].push(run);
      arms.set(name, arm);
    }
  };
  add(base, 'base');
  add(next, 'new');
  return [...arms.values()];
}

export interface BenchComparison {
  groups: ComparisonGroup[];
  /** Arms measured on one side only. */
  notes: string[];
}

export function compareBenches(base: BenchDocument, next: BenchDocument, alpha: number): BenchComparison {
  const arms = armsOf(base, next);
  const notes = arms
    .filter((arm) => arm.base.length === 0 || arm.new.length === 0)
    .map((arm) => `${arm.name}: completed runs only in ${arm.base.length === 0 ? 'new' : 'the base'}, not compared`);
  const groups = arms
    .filter((arm) => arm.base.length > 0 && arm.new.length > 0)
    .map((arm) => ({
      name: arm.name,
      metrics: COMPARE_METRICS.flatMap((metric) => {
        const key = metric.bench;
        if (key === undefined) return [];
        const values = (runs: readonly BenchRun[]) =>
          runs.map((run) => run.figures?.[key] ?? null).filter((value): value is number => value !== null);
        const baseValues = values(arm.base);
        const newValues = values(arm.new);
        return [
          metricComparison(
            metric,
            spanOf(baseValues)?.median ?? null,
            spanOf(newValues)?.median ?? null,
            judgeSamples(baseValues, newValues, alpha, 'runs'),
          ),
        ];
      }),
    }));
  return { groups, notes };
}

/** What one bench result was. */
export function benchSide(path: string, doc: BenchDocument): ComparedSide {
  return {
    path,
    kind: 'bench',
    schemaVersion: doc.schemaVersion,
    id: doc.startedAt,
    startedAt: doc.startedAt,
    durationMs: doc.settings.durationMs,
    outcome: doc.complete ? 'complete' : 'incomplete',
    measuredSeconds: null,
  };
}
