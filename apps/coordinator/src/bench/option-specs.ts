// The `pnpm bench` options: one table that drives node:util parseArgs, the help text and error messages.

import { BUILTIN_DRIVERS } from '@evbridge/drivers';
import { HELP_OPTION, type OptionSpec } from '../command-line/option-table.js';
import { HARNESS_LIMITS } from '../config/defaults.js';
import { formatDurationMs } from '../config/duration.js';
import { LOG_LEVELS } from '../config/log-level.js';
import { formatSizeBytes } from '../config/size.js';
import { BENCH_DEFAULTS, BENCH_LIMITS } from '../config/bench-defaults.js';
import { QUIET_LOAD } from './quiet-machine.js';

export type BenchOptionName =
  | 'procs'
  | 'sweep-procs'
  | 'rate'
  | 'duration'
  | 'warmup'
  | 'pairs'
  | 'payload'
  | 'pacer'
  | 'allow-load'
  | 'quiet-wait'
  | 'json'
  | 'no-append'
  | 'find-max'
  | 'drivers'
  | 'log-level'
  | 'help';

const maxDuration = formatDurationMs(HARNESS_LIMITS.durationMsMax);
const procsAccepts = `an integer from ${HARNESS_LIMITS.procsMin} to ${HARNESS_LIMITS.procsMax}, or a comma list of them such as 2,5,10,20`;

export const BENCH_OPTION_SPECS: readonly OptionSpec<BenchOptionName>[] = [
  {
    name: 'procs',
    valueName: '<n>[,<n>...]',
    accepts: procsAccepts,
    description: 'worker processes per run; a comma list runs a sweep, one row per count',
    defaultText: String(BENCH_DEFAULTS.procs),
  },
  {
    name: 'sweep-procs',
    valueName: '<n>,<n>...',
    accepts: procsAccepts,
    description: 'the same as --procs with a list (give one of the two)',
    defaultText: undefined,
  },
  {
    name: 'rate',
    valueName: '<events/s>',
    accepts: 'a number of events per second greater than 0, such as 1000 or 2.5',
    description: 'total publish rate across all workers (the starting rate with --find-max)',
    defaultText: String(BENCH_DEFAULTS.rateEventsPerSec),
  },
  {
    name: 'duration',
    valueName: '<time>',
    accepts: `a duration from 1ms to ${maxDuration} (a number with ms, s, m or h), such as 10s`,
    description: 'measured phase of each run (with --find-max, of each step: the find-max default unless given)',
    defaultText: formatDurationMs(BENCH_DEFAULTS.durationMs),
  },
  {
    name: 'warmup',
    valueName: '<time>',
    accepts: `a duration from 0s to ${maxDuration} (a number with ms, s, m or h), such as 3s or 0s`,
    description: 'unmeasured traffic before each measured phase (with --find-max, before each step: likewise)',
    defaultText: formatDurationMs(BENCH_DEFAULTS.warmupMs),
  },
  {
    name: 'pairs',
    valueName: '<n>',
    accepts: `an integer from 1 to ${BENCH_LIMITS.pairsMax}`,
    description:
      'rounds per process count (floor, raw, bridge, bridge on the other pacer; a sweep runs raw and bridge only)',
    defaultText: String(BENCH_DEFAULTS.pairs),
  },
  {
    name: 'payload',
    valueName: '<size>',
    accepts: `a size from 0 to ${formatSizeBytes(HARNESS_LIMITS.payloadBytesMax)}, such as 256 or 1kib`,
    description: 'payload bytes per event',
    defaultText: String(BENCH_DEFAULTS.payloadBytes),
  },
  {
    name: 'pacer',
    valueName: '<kind>',
    accepts: 'open-loop, precise or naive-interval',
    description:
      'the pacer of the floor, raw and bridge alike; the last run of a round puts the bridge on precise (on open-loop when this is precise; see pnpm harness --help)',
    defaultText: BENCH_DEFAULTS.pacer,
  },
  {
    name: 'quiet-wait',
    valueName: '<time>',
    accepts: 'a duration from 0s to 24h (a number with ms, s, m or h), such as 2m',
    description: `how long to wait for a quiet machine (1-minute load average below ${QUIET_LOAD} before, other processes below ${QUIET_LOAD} cores between runs)`,
    defaultText: formatDurationMs(BENCH_DEFAULTS.quietWaitMs),
  },
  {
    name: 'allow-load',
    valueName: undefined,
    accepts: 'no value',
    description:
      'measure at once, without waiting for a quiet machine; the section then carries a warning when it was not quiet',
    defaultText: undefined,
  },
  {
    name: 'json',
    valueName: '<path>',
    accepts: 'a file path',
    description: 'where to write every run and the summary as JSON',
    defaultText: 'bench-results/bench-<timestamp>.json',
  },
  {
    name: 'no-append',
    valueName: undefined,
    accepts: 'no value',
    description: 'do not append a section to BENCHMARKS.md',
    defaultText: undefined,
  },
  {
    name: 'find-max',
    valueName: undefined,
    accepts: 'no value',
    description:
      'search the highest rate that holds the SLO for the floor, raw and the bridge, and print raw/floor and bridge/raw',
    defaultText: undefined,
  },
  {
    name: 'drivers',
    valueName: '<a,b,...>',
    accepts: `a comma list of two or more drivers: built-ins (${BUILTIN_DRIVERS.join(', ')}) or driver module paths`,
    description:
      'instead of the floor/raw/bridge rounds, run these drivers side by side: each once per round (--pairs rounds), the order rotated each round, with ratios against raw (or the first listed); with --find-max, the highest sustainable rate of each. evbridge@at-least-once is evbridge in its durable mode (Redis Streams; the Redis then runs on appendonly, and each such run reports the memory its stream held)',
    defaultText: undefined,
  },
  {
    name: 'log-level',
    valueName: '<level>',
    accepts: `one of ${LOG_LEVELS.join(', ')}`,
    description: "the bench's log level (the runs inside log at warn unless it is debug or trace)",
    defaultText: BENCH_DEFAULTS.logLevel,
  },
  HELP_OPTION,
];
