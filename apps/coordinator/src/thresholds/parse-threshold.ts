// Parses a threshold expression such as "p99<5ms", "delivery>=99.9%" or "lost==0" into a ThresholdSpec.

import { shiftDecimal, scaleDecimal } from '../config/decimal.js';
import { parseFailure, parsedValue, type Parsed } from '../config/parsed.js';
import type { MetricUnit } from '../model/metric-unit.js';
import { METRICS, METRIC_NAMES, findMetric } from '../model/metrics.js';
import { THRESHOLD_OPERATORS, type ThresholdOperator, type ThresholdSpec } from '../config/threshold-spec.js';

/** The threshold syntax, for help and error messages. */
export const THRESHOLD_SYNTAX = 'METRIC OP VALUE such as p99<5ms, delivery==100% or lost==0';

/** Microseconds per latency unit a threshold may use. */
const US_PER_UNIT: Readonly<Record<string, number>> = { us: 1, µs: 1, ms: 1_000, s: 1_000_000 };

const METRIC_PART = /^([A-Za-z_][A-Za-z0-9_]*)\s*(.*)$/s;
/** Longest operators first, so "<=" is not read as "<" followed by "=". */
const OPERATOR_PART = new RegExp(
  `^(${[...THRESHOLD_OPERATORS].sort((a, b) => b.length - a.length).join('|')})\\s*(.*)$`,
  's',
);
const VALUE_PART = /^(\d+(?:\.\d+)?)\s*(\S*)$/;

/**
 * Parses `METRIC OP VALUE` (spaces allowed around OP). Metric names are case-insensitive; OP is one of
 * < <= > >= == !=. The value must suit the metric's unit: latency needs us, ms or s ("800us", "1.5ms";
 * a bare number is rejected as ambiguous); ratios take a percent or a fraction 0..1 ("99.9%", "0.999");
 * counts, factors and rates take a plain number. Never throws.
 */
export function parseThreshold(expression: string): Parsed<ThresholdSpec> {
  const trimmed = expression.trim();
  if (trimmed === '') return parseFailure('the expression is empty');
  const metricMatch = METRIC_PART.exec(trimmed);
  if (metricMatch === null) return parseFailure('it does not start with a metric name');
  const written = metricMatch[1] as string;
  const metric = findMetric(written);
  if (metric === undefined)
    return parseFailure(`unknown metric "${written}"; known metrics: ${METRIC_NAMES.join(', ')}`);

  const rest = metricMatch[2] as string;
  const operatorMatch = OPERATOR_PART.exec(rest);
  if (operatorMatch === null) {
    if (rest.startsWith('=')) {
      return parseFailure('unknown operator: use == for equality, <= or >= for bounds');
    }
    return parseFailure(`expected an operator ${THRESHOLD_OPERATORS.join(' ')} after "${written}"`);
  }
  const operator = operatorMatch[1] as ThresholdOperator;
  const value = parseValue(operatorMatch[2] as string, METRICS[metric].unit, metric);
  if (!value.ok) return value;
  return parsedValue({ expression: trimmed, metric, operator, value: value.value });
}

function parseValue(text: string, unit: MetricUnit, metric: string): Parsed<number> {
  const match = VALUE_PART.exec(text.trim());
  if (match === null) {
    return parseFailure(text.trim() === '' ? 'the value is missing' : `"${text.trim()}" is not a non-negative number`);
  }
  const amount = match[1] as string;
  const suffix = match[2] as string;
  switch (unit) {
    case 'us':
      return parseLatency(amount, suffix, metric);
    case 'ratio':
      return parseRatio(amount, suffix, metric);
    case 'factor':
    case 'count':
    case 'eventsPerSec':
      if (suffix !== '')
        return parseFailure(`${metric} is ${describeUnit(unit)}: write a plain number, without "${suffix}"`);
      return parsedValue(Number(amount));
  }
}

function parseLatency(amount: string, suffix: string, metric: string): Parsed<number> {
  if (suffix === '') return parseFailure(`${metric} is a latency: add a unit us, ms or s (e.g. ${amount}ms)`);
  const factor = US_PER_UNIT[suffix];
  if (factor === undefined) {
    const why = suffix === '%' ? 'a percent does not apply to a latency' : `unknown unit "${suffix}"`;
    return parseFailure(`${why}: ${metric} takes us, ms or s (e.g. 5ms)`);
  }
  return parsedValue(scaleDecimal(amount, factor));
}

function parseRatio(amount: string, suffix: string, metric: string): Parsed<number> {
  if (suffix === '%') return parsedValue(shiftDecimal(amount, 2));
  if (suffix !== '')
    return parseFailure(`${metric} is a ratio: write a percent or a fraction, such as 99.9% or 0.999, not "${suffix}"`);
  const fraction = Number(amount);
  if (fraction > 1) return parseFailure(`${metric} is a ratio from 0 to 1: did you mean ${amount}%?`);
  return parsedValue(fraction);
}

function describeUnit(unit: MetricUnit): string {
  const descriptions: Record<MetricUnit, string> = {
    us: 'a latency',
    ratio: 'a ratio',
    factor: 'a plain factor',
    count: 'a count of events',
    eventsPerSec: 'a rate in events/s',
  };
  return descriptions[unit];
}
