// Parses a --fail-on rule such as "p99>+10%", "p99>+2ms", "delivered/s<-5%" or "lost>+0": a figure, the way it
// gets worse, and how far it may go before the comparison fails.
import { scaleDecimal } from '../config/decimal.js';
import { parseFailure, parsedValue, type Parsed } from '../config/parsed.js';
import { COMPARE_METRICS, findCompareMetric, type CompareMetric } from './compare-metrics.js';
import type { CompareUnit } from './comparison.js';

/** The syntax, for help and errors. */
export const FAIL_RULE_SYNTAX =
  'METRIC>+BOUND or METRIC<-BOUND, such as p99>+10%, p99>+2ms, delivered/s<-5% or lost>+0';

export interface FailRule {
  /** As written, trimmed. */
  text: string;
  metric: CompareMetric;
  /**
   * How far the figure may move the worse way: `percent` of the base value, or `absolute` in the metric's unit
   * (microseconds, events/s, a 0..1 fraction, events, percentage points of CPU, MB). Never negative.
   */
  bound: { kind: 'percent' | 'absolute'; value: number };
}

const RULE = /^([A-Za-z][\w./]*?)\s*([<>])\s*([+-]?)\s*(\d+(?:\.\d+)?)\s*([^\s\d]*)$/;

/** Microseconds per latency unit. */
const US_PER_UNIT: Readonly<Record<string, number>> = { us: 1, µs: 1, ms: 1_000, s: 1_000_000 };

/**
 * A rule's operator points the way the figure gets worse (`>` for latency, CPU, memory and losses, `<` for rates and
 * the delivery ratio); a sign, when written, must agree with it. Never throws.
 */
export function parseFailRule(written: string): Parsed<FailRule> {
  const text = written.trim();
  const match = RULE.exec(text);
  if (match === null) return parseFailure(`write it as ${FAIL_RULE_SYNTAX}`);
  const [, name = '', operator = '', sign = '', amount = '', suffix = ''] = match;
  const metric = findCompareMetric(name);
  if (metric === undefined) {
    return parseFailure(`unknown metric "${name}"; compare knows ${COMPARE_METRICS.map((m) => m.name).join(', ')}`);
  }
  const worseOperator = metric.worse === 'higher' ? '>' : '<';
  const worseSign = metric.worse === 'higher' ? '+' : '-';
  const example = `${metric.name}${worseOperator}${worseSign}${amount}${suffix}`;
  if (operator !== worseOperator || (sign !== '' && sign !== worseSign)) {
    return parseFailure(
      `${metric.name} gets worse as it ${metric.worse === 'higher' ? 'rises' : 'falls'}: write ${example}`,
    );
  }
  if (suffix === '%') return parsedValue({ text, metric, bound: { kind: 'percent', value: Number(amount) } });
  const value = absoluteBound(amount, suffix, metric.unit, metric.name);
  if (!value.ok) return value;
  return parsedValue({ text, metric, bound: { kind: 'absolute', value: value.value } });
}

function absoluteBound(amount: string, suffix: string, unit: CompareUnit, name: string): Parsed<number> {
  const plain = (what: string, allowed: readonly string[] = []): Parsed<number> =>
    suffix === '' || allowed.includes(suffix.toLowerCase())
      ? parsedValue(Number(amount))
      : parseFailure(`${name} is ${what}: write a percent or a plain number, without "${suffix}"`);
  switch (unit) {
    case 'us': {
      const factor = US_PER_UNIT[suffix];
      if (factor === undefined) {
        return parseFailure(
          suffix === ''
            ? `${name} is a latency: add a unit us, ms or s (${name}>+${amount}ms) or write a percent`
            : `unknown unit "${suffix}": ${name} takes us, ms or s, or a percent`,
        );
      }
      return parsedValue(scaleDecimal(amount, factor));
    }
    case 'eventsPerSec':
      return plain('a rate in events/s', ['/s']);
    case 'ratio': {
      const fraction = plain('a ratio (a 0..1 fraction)');
      if (fraction.ok && fraction.value > 1)
        return parseFailure(`${name} is a 0..1 fraction: ${amount} cannot be its change`);
      return fraction;
    }
    case 'count':
      return plain('a count of events');
    case 'percent':
      return plain('% of one core (a plain number is percentage points)', ['pts', 'pt']);
    case 'mb':
      return plain('in MB', ['mb']);
  }
}
