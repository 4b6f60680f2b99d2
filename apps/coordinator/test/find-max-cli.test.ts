import { describe, expect, it } from 'vitest';
import { FIND_MAX_DEFAULTS } from '../src/config/defaults.js';
import { helpText } from '../src/cli/help.js';
import type { FindMaxResult, FindMaxStep } from '../src/find-max/find-max.js';
import { formatAnswer, formatStepLine, formatTargetRate } from '../src/find-max/render.js';
import { parseError as error, parsedOptions as run } from './support/parse-cli.js';

describe('--find-max options', () => {
  it('is absent from a plain run', () => {
    expect(run([]).findMax).toBeUndefined();
  });

  it('takes the documented defaults, and --rate as the starting rate', () => {
    const options = run(['--find-max', '--rate=500']);
    expect(options.rateEventsPerSec).toBe(500);
    expect(options.findMax).toEqual({
      slo: { minDeliveryRatio: 1, maxP99Us: 10_000, minPublishRatio: 0.97 },
      stepDurationMs: 5_000,
      stepWarmupMs: 2_000,
      maxSteps: FIND_MAX_DEFAULTS.maxSteps,
    });
  });

  it('reads every search option', () => {
    const options = run([
      '--find-max',
      '--slo-p99=2.5ms',
      '--slo-publish',
      '99%',
      '--step-duration=1s',
      '--step-warmup=0s',
      '--max-steps=3',
    ]);
    expect(options.findMax).toEqual({
      slo: { minDeliveryRatio: 1, maxP99Us: 2_500, minPublishRatio: 0.99 },
      stepDurationMs: 1_000,
      stepWarmupMs: 0,
      maxSteps: 3,
    });
  });

  it('rejects bad values with the accepted forms', () => {
    expect(error(['--find-max', '--slo-p99=10'])).toMatch(/--slo-p99 must be .*10ms/);
    expect(error(['--find-max', '--slo-publish=97'])).toMatch(/--slo-publish must be .*97%/);
    expect(error(['--find-max', '--max-steps=0'])).toMatch(/--max-steps must be an integer from 1 to 100/);
    expect(error(['--find-max', '--step-duration=0s'])).toMatch(/--step-duration must be/);
  });

  it('rejects search options without --find-max, and single-run options with it', () => {
    expect(error(['--step-duration=1s'])).toBe(
      '--step-duration applies only with --find-max; add --find-max or drop --step-duration',
    );
    expect(error(['--slo-p99=5ms'])).toMatch(/--slo-p99 applies only with --find-max/);
    expect(error(['--find-max', '--duration=10s'])).toMatch(
      /--duration does not apply with --find-max: each step lasts --step-duration/,
    );
    expect(error(['--find-max', '--warmup=1s'])).toMatch(/--warmup does not apply with --find-max/);
    expect(error(['--find-max', '--threshold', 'p99<5ms'])).toMatch(
      /--threshold does not apply with --find-max: .*SLO/,
    );
    expect(error(['--find-max', '--procs=1'])).toMatch(
      /^--procs must be an integer from 2 to 256 \(got "1"\); with 1 instance no event has a peer/,
    );
  });

  it('is documented in --help with its defaults and exit codes', () => {
    const text = helpText();
    expect(text).toMatch(/--find-max +instead of one run/);
    expect(text).toMatch(/--slo-p99 <time> .*\(default: 10ms\)/);
    expect(text).toMatch(/--slo-publish <percent> .*\(default: 97%\)/);
    expect(text).toMatch(/--step-duration <time> .*\(default: 5s\)/);
    expect(text).toMatch(/--step-warmup <time> .*\(default: 2s\)/);
    expect(text).toContain('Find max (--find-max; --rate is then the starting rate');
    expect(text).toMatch(/Exits 0 when a rate held, 1 when not even the lowest rate tried held, 2 when a step could/);
  });
});

describe('find-max output', () => {
  const step = (rate: number, passed: boolean, reasons: string[] = []): FindMaxStep => ({
    rateEventsPerSec: rate,
    passed,
    reasons,
    deliveryRatio: 1,
    p99Us: passed ? 3_210 : 12_345,
    publishedEventsPerSec: rate,
    lost: 0,
    durationMs: 9_140,
  });
  const result = (max: number | null, steps: FindMaxStep[]): FindMaxResult => ({
    maxRateEventsPerSec: max,
    steps,
    slo: { minDeliveryRatio: 1, maxP99Us: 10_000, minPublishRatio: 0.97 },
    transport: 'bridge',
    procs: 5,
  });

  it('prints one line per step: rate, verdict with reasons, delivery, p99, achieved rate', () => {
    expect(formatStepLine(step(4000, true), 2)).toBe(
      'step 3  4,000/s  pass  delivery 100%  p99 3,210 us  published 4,000.0/s  lost 0  9.1s',
    );
    expect(formatStepLine(step(8000, false, ['p99 12,345 us >= 10,000 us']), 3)).toBe(
      'step 4  8,000/s  FAIL (p99 12,345 us >= 10,000 us)  delivery 100%  p99 12,345 us  published 8,000.0/s  lost 0  9.1s',
    );
  });

  it('formats target rates without noise', () => {
    expect(formatTargetRate(12_000)).toBe('12,000/s');
    expect(formatTargetRate(62.5)).toBe('62.5/s');
    expect(formatTargetRate(7.8125)).toBe('7.81/s');
  });

  it('states the answer with the nearest failing rate above it', () => {
    const steps = [step(4000, true), step(8000, false), step(6000, true), step(7000, false)];
    expect(formatAnswer(result(6000, steps))).toBe(
      'max rate: 6,000/s total (1,200/s per process) holds the SLO (bridge, 5 procs, 4 steps); 7,000/s failed',
    );
    expect(formatAnswer(result(null, [step(1000, false), step(500, false)]))).toBe(
      'max rate: none holds the SLO (bridge, 5 procs, 2 steps): not even 500/s held it',
    );
    expect(formatAnswer(result(4000, [step(4000, true)]))).toMatch(/no rate tried failed, the ceiling is higher/);
  });
});
