// The dashboard's server on a real loopback socket: the page, the event stream once a second, the final report, a
// foreign Host refused, a taken port named, and nothing left listening after finish().
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { DashboardServer, type DashboardData } from '../src/dashboard/dashboard-server.js';
import type { LiveSnapshot } from '../src/model/live-snapshot.js';
import { sampleReport, sampleTimeSeries } from './fixtures/sample-report.js';

const open: DashboardServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
});

function page(data: DashboardData | undefined): string {
  const text = data === undefined ? 'none' : 'kind' in data ? `live ${data.atMs}` : `report ${data.passed}`;
  return `<!doctype html><title>t</title><p id="kind">${text}</p>`;
}

async function start(overrides: { finalGraceMs?: number } = {}): Promise<DashboardServer> {
  const server = await DashboardServer.open({
    port: 0,
    renderPage: page,
    renderUpdate: (snapshot) => ({ atMs: snapshot.atMs }),
    pushIntervalMs: 50,
    ...overrides,
  });
  open.push(server);
  return server;
}

function snapshots(): () => LiveSnapshot {
  let atMs = -1000;
  return () => {
    atMs += 100;
    return {
      kind: 'live',
      phase: 'measure',
      atMs,
      run: {
        id: 'r',
        driver: 'evbridge',
        procs: 2,
        rateEventsPerSec: 10,
        durationMs: 1000,
        warmupMs: 1000,
        payloadBytes: 1,
      },
      timeSeries: sampleTimeSeries(2, 1000, 1000),
      latencySoFarUs: { count: 0, p50: 0, p99: 0, max: 0 },
    };
  };
}

/** Reads Server-Sent Events from `url` until `until` says enough; returns them as [name, data] pairs. */
async function readEvents(
  url: string,
  until: (events: Array<[string, unknown]>) => boolean,
): Promise<Array<[string, unknown]>> {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: Array<[string, unknown]> = [];
  let buffer = '';
  while (!until(events)) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const name = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (name !== undefined && data !== undefined) events.push([name, JSON.parse(data)]);
      end = buffer.indexOf('\n\n');
    }
  }
  controller.abort();
  return events;
}

function getWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('DashboardServer', () => {
  it('serves the page on 127.0.0.1 and pushes the run so far to every open page once per interval', async () => {
    const server = await start();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const before = await fetch(server.url);
    expect(before.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await before.text()).toContain('<p id="kind">none</p>');
    server.watch(snapshots());
    const events = await readEvents(`${server.url}events`, (seen) => seen.length >= 3);
    const times = events.map(([name, data]) => [name, (data as { atMs: number }).atMs]);
    expect(times.every(([name]) => name === 'snapshot')).toBe(true);
    // Each push reads the run anew.
    expect(new Set(times.map(([, atMs]) => atMs)).size).toBe(3);
    expect(await (await fetch(server.url)).text()).toMatch(/<p id="kind">live -?\d+<\/p>/);
    expect(await (await fetch(`${server.url}nothing-here`)).status).toBe(404);
  });

  it('refuses a request for another host name (DNS rebinding) and any method but GET', async () => {
    const server = await start();
    expect(await getWithHost(server.url, 'attacker.example:80')).toBe(421);
    expect(await getWithHost(server.url, new URL(server.url).host)).toBe(200);
    expect((await fetch(server.url, { method: 'POST' })).status).toBe(405);
  });

  it('at the end tells open pages to load the final report, serves it, waits for them and stops listening', async () => {
    const server = await start({ finalGraceMs: 5000 });
    server.watch(snapshots());
    const controller = new AbortController();
    const stream = await fetch(`${server.url}events`, { signal: controller.signal });
    const reader = stream.body!.getReader();
    await reader.read();
    expect(server.clientCount).toBe(1);
    const report = sampleReport();
    const finished = server.finish(report);
    let text = '';
    while (!text.includes('event: final')) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toContain('data: {"passed":true}');
    // The page reloads: it closes its stream and fetches the final report; then finish() closes the server without
    // waiting out the grace.
    const startedMs = Date.now();
    controller.abort();
    expect(await (await fetch(server.url)).text()).toContain('<p id="kind">report true</p>');
    await finished;
    expect(Date.now() - startedMs).toBeLessThan(2000);
    await expect(fetch(server.url)).rejects.toThrow();
  });

  it('names the fix when the port is taken', async () => {
    const first = await start();
    const port = Number(new URL(first.url).port);
    await expect(DashboardServer.open({ port, renderPage: page, renderUpdate: () => ({}) })).rejects.toThrow(
      `--dashboard: port ${port} on 127.0.0.1 is in use: pass --dashboard=<another port>, or --dashboard=0 for any free one`,
    );
  });
});
