// Judges each --fail-on rule on every group: it fails where its figure got worse beyond the bound AND the change is
// significant (a tally such as lost: any change is). A rule that cannot be judged stops the comparison (exit 2).
import { CompareError } from './compare-error.js';
import type { ComparisonGroup, MetricComparison, RuleOutcome } from './comparison.js';
import type { FailRule } from './fail-rule.js';
import { formatChange, formatChangePercent, formatP, formatValue } from './format-compare.js';
import { directionOf } from './judge.js';

export function applyRules(rules: readonly FailRule[], groups: readonly ComparisonGroup[]): RuleOutcome[] {
  return rules.map((rule) => applyRule(rule, groups));
}

function applyRule(rule: FailRule, groups: readonly ComparisonGroup[]): RuleOutcome {
  const rows = groups.flatMap((group) => {
    const row = group.metrics.find((metric) => metric.metric === rule.metric.name);
    return row === undefined ? [] : [{ group: group.name, row }];
  });
  if (rows.length === 0) {
    throw new CompareError(
      `--fail-on "${rule.text}": these results have no ${rule.metric.name} (a ${rule.metric.run === undefined ? 'bench' : 'run'} figure): drop the rule or name one of the figures the table shows`,
    );
  }
  const findings = rows.map(({ group, row }) => judgeRow(rule, group, row));
  return {
    rule: rule.text,
    metric: rule.metric.name,
    failed: findings.some((finding) => finding.failed),
    findings: findings.map((finding) => finding.text),
  };
}

function judgeRow(rule: FailRule, group: string, row: MetricComparison): { failed: boolean; text: string } {
  const where = `${group}: ${row.label}`;
  if (row.base === null) return { failed: false, text: `${where}: the base has no value, nothing to hold new to` };
  if (row.new === null) {
    return {
      failed: true,
      text: `${where}: ${formatValue(row.unit, row.base)} in the base, none in new (nothing measured)`,
    };
  }
  const { judgement } = row;
  if (judgement.kind === 'not-judged') {
    throw new CompareError(`--fail-on "${rule.text}" cannot be judged on ${group}: ${judgement.reason}`);
  }
  const moved = `${formatChange(row.unit, row.change)} (${formatChangePercent(row)})`;
  if (!beyondBound(rule, row)) return { failed: false, text: `${where} ${moved}: within the bound` };
  const significant = judgement.significant && directionOf(judgement, row.change) === row.worse;
  const how = judgement.kind === 'exact' ? 'an exact tally' : `p ${formatP(judgement)}`;
  return significant
    ? { failed: true, text: `${where} ${moved}: beyond the bound and significant (${how})` }
    : { failed: false, text: `${where} ${moved}: beyond the bound but not significant (${how})` };
}

/** Whether the change went the worse way by more than the bound. */
function beyondBound(rule: FailRule, row: MetricComparison): boolean {
  const worseWay = (value: number) => (row.worse === 'higher' ? value : -value);
  if (row.change === null || row.base === null) return false;
  if (rule.bound.kind === 'absolute') return worseWay(row.change) > rule.bound.value;
  // A rise from 0 is beyond any percent; a fall from 0 is impossible.
  if (row.base === 0) return worseWay(row.change) > 0;
  return worseWay(row.changePercent ?? 0) > rule.bound.value;
}
