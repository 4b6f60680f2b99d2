// The `pnpm bench --help` text, generated from the option table so it cannot drift from it.

import { EXIT_CODES } from '../config/exit-codes.js';
import { optionHelpLines } from '../command-line/option-table.js';
import { BENCH_OPTION_SPECS } from './option-specs.js';

export function benchHelpText(): string {
  return [
    'Usage: pnpm bench [options]',
    '',
    'On one private redis-server, runs rounds of: the harness-free floor (plain processes publishing and',
    'receiving with ioredis, no harness), the raw ioredis transport and @evbridge/bridge through the harness, all',
    'on one pacer, then the bridge on the other pacer. Prints each figure as the median over rounds with its',
    'min-max, and the ratios raw/floor (what the harness adds), bridge/raw and the bridge between pacers (what the',
    'pacer alone does), each the median of the per-round ratios. Waits for a quiet machine first (see',
    '--quiet-wait). Writes every run as JSON and appends a dated section to BENCHMARKS.md. Reported numbers, not a',
    'verdict: thresholds are not judged. With --drivers, runs the listed drivers side by side instead (see',
    'docs/drivers.md), and replaces the generated drivers table in README.md.',
    '',
    'Options:',
    ...optionHelpLines(BENCH_OPTION_SPECS),
    '',
    'Exit codes:',
    `  ${EXIT_CODES.passed}  every run was carried out (whatever the figures)`,
    `  ${EXIT_CODES.runFailed}  bad options, or a run could not be carried out`,
    `  ${EXIT_CODES.interruptedBySigint}/${EXIT_CODES.interruptedBySigterm}  interrupted: the runs so far are written as JSON, BENCHMARKS.md is left alone`,
    '',
  ].join('\n');
}
