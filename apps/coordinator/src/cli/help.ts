// The --help text, generated from the option table and the metric registry so it cannot drift from them.

import { EXIT_CODES } from '../config/exit-codes.js';
import { FIND_MAX_DEFAULTS, REDIS_URL_ENV, STEP_SUMMARY_ENV } from '../config/defaults.js';
import { formatPercent } from '../render/format.js';
import { OPTION_SPECS } from './option-specs.js';
import { optionHelpLines } from '../command-line/option-table.js';
import { THRESHOLD_OPERATORS } from '../config/threshold-spec.js';
import { METRICS, METRIC_ALIASES, METRIC_NAMES } from '../model/metrics.js';
import type { MetricUnit } from '../model/metric-unit.js';
import { defaultThresholds, FAULT_RULES, TOPOLOGY_RECOVERY_TARGET } from '../thresholds/default-thresholds.js';
import { FAULT_KINDS, FAULT_KIND_NAMES, faultForm } from '../model/fault-kinds.js';

export const PROGRAM_NAME = 'evbridge-harness';

const UNIT_LABELS: Record<MetricUnit, string> = {
  us: 'latency',
  ratio: 'ratio',
  factor: 'factor',
  count: 'count',
  eventsPerSec: 'events/s',
};

export function helpText(): string {
  return [
    `Usage: ${PROGRAM_NAME} [options]`,
    '',
    'Forks worker processes that each run one @evbridge/bridge instance on Redis pub/sub, publishes at a',
    'target rate, and reports delivery and latency; then judges the thresholds and exits with a verdict.',
    '',
    'Options:',
    ...optionHelpLines(OPTION_SPECS),
    '',
    'Values: durations are a number with ms, s, m or h (500ms, 1.5s, 2m); a bare number is rejected.',
    'Both --name value and --name=value work; use --name=value for a value starting with "-".',
    '',
    'Thresholds (--threshold METRIC OP VALUE, repeatable; quote it in the shell: --threshold "p99<5ms"):',
    `  Operators: ${THRESHOLD_OPERATORS.join(' ')}`,
    '  Latency takes a unit us, ms or s (p99<5ms, transitP99<=800us); a bare number is rejected.',
    '  Ratios take a percent or a fraction 0..1 (delivery>=99.9%, delivery>=0.999);',
    '  counts, factors and rates take a plain number (lost==0, amplification==4, publishedPerSec>=990).',
    '  Always judged: delivery==100%, selfReceived==0, amplification==N-1 (N = --procs), publishRatio==100%;',
    '  and a run that measured nothing (no measured publish, no delivery expected) fails.',
    '  A --threshold on the same metric replaces that default; ratios and factors compare within 1e-12.',
    `  With --fault: ${defaultThresholds(2, true)
      .map((spec) => spec.expression)
      .join(', ')} instead (${FAULT_RULES.join(' and ')} are built in:`,
    '  a loss, or a refused or failed publish, outside every fault window fails the run); judge the faults with',
    '  lostDuringFault<=N, recovery<2s, faultViolations==0.',
    `  With kill-master, failover or kill-node (--topology=sentinel or cluster) also recovery<${TOPOLOGY_RECOVERY_TARGET}, Sentinel's or the Cluster's detection included.`,
    '  A metric the run has no data for (latency with no samples) fails its threshold.',
    '  Metrics:',
    ...metricLines(),
    '',
    ...worldLines(),
    '',
    ...findMaxLines(),
    '',
    ...faultLines(),
    '',
    'Exit codes:',
    `  ${EXIT_CODES.passed}  the run completed and every threshold holds`,
    `  ${EXIT_CODES.thresholdFailed}  a threshold failed`,
    `  ${EXIT_CODES.runFailed}  the run could not be carried out (bad options, Redis unreachable, a worker failed)`,
    `  ${EXIT_CODES.interruptedBySigint}/${EXIT_CODES.interruptedBySigterm}  interrupted by SIGINT/SIGTERM: the partial report is printed and written`,
    '',
    'Environment:',
    `  ${REDIS_URL_ENV}  Redis URL used when --redis is not given`,
    `  ${STEP_SUMMARY_ENV}  a file a run appends its Markdown summary to, as --summary-md writes it (GitHub Actions sets it)`,
    '',
  ].join('\n');
}

function faultLines(): string[] {
  const width = Math.max(...FAULT_KIND_NAMES.map((kind) => faultForm(kind).length));
  return [
    'Faults (--fault KIND@TIME[:DURATION], repeatable; TIME after measurement starts; worker faults hit --fault-target,',
    '  else a worker picked by --fault-seed or at random; the report names it, the seed, who noticed, the recovery time',
    '  and the exact losses of each fault, and whether Redis pub/sub (at most once) allows them):',
    ...FAULT_KIND_NAMES.map((kind) => `  ${faultForm(kind).padEnd(width)}  ${FAULT_KINDS[kind].description}`),
  ];
}

function worldLines(): string[] {
  return [
    'Three worlds (--mode, --isolate, --identity, --compare-modes):',
    '  --mode=procs (default) runs each instance in its own OS process, as a service is deployed; --mode=threads runs',
    '  them as worker threads of one process, as an in-process test does: one pid, one CPU budget, one heap limit.',
    '  --isolate=pidns puts each worker process in its own PID namespace (pid 1 inside, as every container is).',
    '  --identity=pid keys the instance id on process.pid alone: threads and containers then share ids, the run stops',
    `  before measuring (exit ${EXIT_CODES.runFailed}) with why and the fix, and --allow-collisions runs it anyway to show delivery`,
    '  collapse. --compare-modes runs procs then threads and prints the two side by side; --json writes both reports.',
  ];
}

function findMaxLines(): string[] {
  const tolerance = formatPercent(FIND_MAX_DEFAULTS.tolerance);
  return [
    'Find max (--find-max; --rate is then the starting rate; --duration, --warmup and --threshold do not apply):',
    '  Searches the highest total publish rate that holds the SLO. Each step is one run on the same Redis, measured',
    '  for --step-duration after --step-warmup; it passes when delivery is 100%, latency p99 from the intended time',
    "  is below --slo-p99, and the achieved publish rate is at least --slo-publish of the step's rate. The rate",
    `  doubles while steps pass, then bisects between the highest pass and the lowest fail until they are within`,
    `  ${tolerance} (or --max-steps are spent); if the first step fails, the rate halves until one passes.`,
    '  Prints one line per step and the answer; --json writes the steps and the answer.',
    `  Exits ${EXIT_CODES.passed} when a rate held, ${EXIT_CODES.thresholdFailed} when not even the lowest rate tried held, ${EXIT_CODES.runFailed} when a step could`,
    `  not be run, ${EXIT_CODES.interruptedBySigint}/${EXIT_CODES.interruptedBySigterm} when interrupted (the steps so far are printed and written).`,
  ];
}

function metricLines(): string[] {
  const aliasesOf = (name: string): string[] =>
    Object.entries(METRIC_ALIASES)
      .filter(([, target]) => target === name)
      .map(([alias]) => alias);
  const width = Math.max(...METRIC_NAMES.map((name) => name.length)) + 2;
  return METRIC_NAMES.map((name) => {
    const metric = METRICS[name];
    const aliases = aliasesOf(name);
    const alias = aliases.length === 0 ? '' : ` (also: ${aliases.join(', ')})`;
    return `    ${name.padEnd(width)}${UNIT_LABELS[metric.unit].padEnd(10)}${metric.description}${alias}`;
  });
}
