// Fault kinds with the drivers other than evbridge (fault-kinds.e2e covers evbridge with every kind), each kind that
// touches connections with at least two of them:
// each lands, is recovered from, and loses nothing outside its window, as Redis's semantics allow.
import { describe, expect, it } from 'vitest';
import { expectLandedAndRecovered, RECOVERY_BOUND, useFaultRuns } from './support/fault-run.js';

const runFault = useFaultRuns('evbridge-driver-faults-');

const CASES = [
  ['node-redis', 'kill-subscribers@2s', []],
  ['node-redis', 'restart-redis@2s:1s', []],
  ['node-redis', 'slow-consumer@2s:5s', ['--payload=16kb', '--fault-target=1']],
  ['socketio', 'kill-publishers@2s', []],
  ['socketio', 'restart-redis@2s:1s', []],
  ['socketio', 'slow-consumer@2s:5s', ['--payload=16kb', '--fault-target=1']],
  ['socketio-streams', 'kill-subscribers@2s', []],
  ['socketio-streams', 'stop-worker@2s:1s', []],
  // One RESP3 connection per instance: killing it as a publisher takes the subscription with it.
  ['evbridge-shared', 'kill-publishers@2s', []],
] as const;

describe('faults with every driver', () => {
  it.each(CASES)(
    '--driver=%s --fault=%s: lands, recovers, loses nothing outside its window',
    async (driver, fault, extra) => {
      const run = await runFault(`${driver}-${fault.replace(/[@:]/g, '-')}`, [
        `--driver=${driver}`,
        `--fault=${fault}`,
        `--threshold=${RECOVERY_BOUND}`,
        ...extra,
      ]);
      expect(run.exitCode, run.stderr).toBe(0);
      expectLandedAndRecovered(run, 6000);
      expect(run.report.run.driver.name).toBe(driver);
    },
  );
});
