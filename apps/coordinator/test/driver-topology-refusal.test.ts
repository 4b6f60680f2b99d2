// Which built-in drivers can run on a Cluster: the evbridge ones (sharded pub/sub); the others are refused before any
// worker starts, with one phrase naming the capability and the fix.
import { BUILTIN_DRIVERS, loadDriver } from '@evbridge/drivers';
import { describe, expect, it } from 'vitest';
import { driverRefusals } from '../src/run/check-driver.js';

describe('--topology=cluster and the drivers', () => {
  it.each(BUILTIN_DRIVERS)('%s: refused unless it declares capabilities.cluster', async (name) => {
    const definition = await loadDriver(name);
    const refusals = driverRefusals(definition, { topology: 'cluster', identity: 'default', faults: [] });
    if (name.startsWith('evbridge')) {
      expect(definition.capabilities.cluster).toBe(true);
      expect(refusals).toEqual([]);
    } else {
      expect(definition.capabilities.cluster).toBe(false);
      expect(refusals).toEqual([
        'a Cluster reaches the workers as a redis+cluster:// URL, which it cannot use (capabilities.cluster): use --driver=evbridge or drop --topology=cluster',
      ]);
    }
    // Without a topology nothing is refused for it.
    expect(driverRefusals(definition, { identity: 'default', faults: [] })).toEqual([]);
  });
});
