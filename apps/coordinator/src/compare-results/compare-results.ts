// Compares two result files of one kind (two run reports, or two bench results) and judges the --fail-on rules:
// the Comparison, or a CompareError (exit 2) saying in one line why they cannot be compared.
import type { ResultFile } from '../results/read-result.js';
import { applyRules } from './apply-rules.js';
import { benchDifferences, benchNotes, benchSettings, runDifferences, runNotes, runSettings } from './comparability.js';
import { benchSide, compareBenches } from './compare-benches.js';
import { CompareError } from './compare-error.js';
import { compareRunReports, runSide } from './compare-runs.js';
import {
  COMPARISON_SCHEMA_VERSION,
  type ComparedSetting,
  type ComparedSide,
  type Comparison,
  type ComparisonGroup,
} from './comparison.js';
import type { FailRule } from './fail-rule.js';

export interface CompareOptions {
  /** Significance level, 0 < alpha < 1. */
  alpha: number;
  rules: readonly FailRule[];
}

const KIND_NAMES: Record<ResultFile['kind'], string> = {
  run: 'a run report',
  bench: 'a bench result',
  'find-max': 'a find-max result',
};

export function compareResults(base: ResultFile, next: ResultFile, options: CompareOptions): Comparison {
  for (const file of [base, next]) {
    if (file.kind === 'find-max') {
      throw new CompareError(
        `${file.path} is a find-max result (a search across rates, not a measurement at one rate): compare two run reports (pnpm harness --json FILE) or two bench results (pnpm bench --json FILE)`,
      );
    }
  }
  const compared = compareOfKind(base, next, options.alpha);
  const rules = applyRules(options.rules, compared.groups);
  return {
    schemaVersion: COMPARISON_SCHEMA_VERSION,
    kind: 'compare-results',
    base: compared.sides[0],
    new: compared.sides[1],
    settings: compared.settings,
    alpha: options.alpha,
    notes: compared.notes,
    groups: compared.groups,
    rules,
    exitCode: rules.some((rule) => rule.failed) ? 1 : 0,
  };
}

interface Compared {
  sides: [ComparedSide, ComparedSide];
  settings: ComparedSetting[];
  notes: string[];
  groups: ComparisonGroup[];
}

function compareOfKind(base: ResultFile, next: ResultFile, alpha: number): Compared {
  if (base.kind === 'run' && next.kind === 'run') {
    refuseDifferences(base.path, next.path, runDifferences(base.report.run, next.report.run), 'pnpm harness');
    const notes = runNotes(base.report.run, next.report.run);
    for (const [file, side] of [
      [base, 'the base'],
      [next, 'new'],
    ] as const) {
      if (file.report.outcome !== 'complete') {
        notes.push(
          `${side} (${file.path}) run ${file.report.outcome === 'failed' ? 'failed' : 'was interrupted'}: its figures cover what it measured`,
        );
      }
    }
    return {
      sides: [runSide(base.path, base.report), runSide(next.path, next.report)],
      settings: runSettings(base.report.run, next.report.run),
      notes,
      groups: [compareRunReports(base.report, next.report, alpha)],
    };
  }
  if (base.kind === 'bench' && next.kind === 'bench') {
    for (const file of [base, next]) {
      if (file.bench.mode === 'find-max' || file.bench.mode === 'drivers-find-max') {
        throw new CompareError(
          `${file.path} is a ${file.bench.mode} bench (search steps at different rates): compare benches that measure at one rate (pnpm bench, pnpm bench --drivers=...)`,
        );
      }
    }
    refuseDifferences(base.path, next.path, benchDifferences(base.bench, next.bench), 'pnpm bench');
    const notes = benchNotes(base.bench, next.bench);
    const { groups, notes: armNotes } = compareBenches(base.bench, next.bench, alpha);
    for (const [file, side] of [
      [base, 'the base'],
      [next, 'new'],
    ] as const) {
      if (!file.bench.complete)
        notes.push(`${side} (${file.path}) bench is incomplete: its medians cover the runs it completed`);
    }
    if (groups.length === 0) {
      throw new CompareError(
        `${base.path} and ${next.path} share no arm with completed runs (a driver at a process count): nothing to compare`,
      );
    }
    return {
      sides: [benchSide(base.path, base.bench), benchSide(next.path, next.bench)],
      settings: benchSettings(base.bench, next.bench),
      notes: [...notes, ...armNotes],
      groups,
    };
  }
  throw new CompareError(
    `${base.path} is ${KIND_NAMES[base.kind]} and ${next.path} ${KIND_NAMES[next.kind]}: compare two of a kind (two pnpm harness --json reports, or two pnpm bench --json results)`,
  );
}

function refuseDifferences(basePath: string, newPath: string, differences: readonly string[], command: string): void {
  if (differences.length === 0) return;
  throw new CompareError(
    `${basePath} and ${newPath} are not comparable: ${differences.join(', ')}; re-run one with the other's settings (${command} ... --json FILE)`,
  );
}
