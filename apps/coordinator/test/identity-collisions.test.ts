// Collision detection before measuring, its message, and how the report shows a run that went ahead anyway.
import { describe, expect, it } from 'vitest';
import { collisionMessage, findCollisions } from '../src/report/identity-collisions.js';
import { renderReport } from '../src/render/report.js';
import { sampleReport } from './fixtures/sample-report.js';

describe('findCollisions', () => {
  it('finds every id shared by more than one instance, with the workers sharing it', () => {
    const records = [
      { index: 0, instanceId: '1' },
      { index: 1, instanceId: 'a' },
      { index: 2, instanceId: '1' },
      { index: 3, instanceId: '1' },
      { index: 4, instanceId: undefined },
    ];
    expect(findCollisions(records)).toEqual([{ instanceId: '1', workers: [0, 2, 3] }]);
  });

  it('finds none when every id is unique', () => {
    expect(
      findCollisions([
        { index: 0, instanceId: 'a' },
        { index: 1, instanceId: 'b' },
      ]),
    ).toEqual([]);
  });
});

describe('collisionMessage', () => {
  const collisions = [{ instanceId: '4242', workers: [0, 1, 2] }];

  it('says why for threads, names the consequence and the fix, on one line', () => {
    const message = collisionMessage(collisions, { mode: 'threads', isolate: 'none', identity: 'pid' });
    expect(message).not.toContain('\n');
    expect(message).toContain('workers 0, 1, 2 report instance id "4242"');
    expect(message).toContain("worker threads share their process's pid");
    expect(message).toContain("drop its peers' events as its own echoes");
    expect(message).toContain('drop --identity=pid');
    expect(message).toContain('--allow-collisions');
  });

  it('says why for PID namespaces: every container is pid 1', () => {
    expect(collisionMessage(collisions, { mode: 'procs', isolate: 'pidns', identity: 'pid' })).toContain(
      'is pid 1 (as in containers)',
    );
  });
});

describe('identity in the rendered report', () => {
  it('prints no identity section when ids are unique', () => {
    expect(renderReport(sampleReport())).not.toContain('Identity collision');
  });

  it("names the collision, the peers' events dropped as own echoes, and the bridges that noticed", () => {
    const report = sampleReport();
    report.identity = {
      scheme: 'pid',
      collisions: [{ instanceId: '4242', workers: [0, 1, 2, 3, 4] }],
      peerEventsDroppedAsOwn: 120_000,
      bridgesReportingCollision: [0, 1, 2, 3, 4],
    };
    const text = renderReport(report);
    expect(text).toContain('Identity collision (scheme: pid)');
    expect(text).toContain('workers 0, 1, 2, 3, 4 share instance id "4242"');
    expect(text).toContain("dropped 120,000 of their peers' measured events as their own echoes");
    expect(text).toContain("their 'collision' event): workers 0, 1, 2, 3, 4");
    expect(text).toMatch(/identity\s+pid \(instance id = process.pid alone\)/);
  });

  it('shows host pids and threads only when they differ from a plain process', () => {
    const report = sampleReport();
    expect(renderReport(report)).not.toMatch(/host pid|thread\s/);
    report.instances = report.instances.map((row, index) => ({ ...row, pid: 1, hostPid: 5000 + index }));
    expect(renderReport(report)).toMatch(/#\s+pid\s+host pid\s+instance/);
    expect(renderReport(report)).toMatch(/\n\s+0\s+1\s+5000\s/);
  });
});
