// Hostile connections to the control port during a live run (2 local + 2 remote workers): a worker with the wrong
// token, a client without one, garbage, plain HTTP, an oversized frame, a slow client and 1,000 connects at once.
// Each is closed and counted by its reason, nothing it sent reaches the log, and the run's results stay exact.
import { connect, type Socket } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { newNonce } from '@evbridge/protocol';
import { describe, expect, inject, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Report } from '../src/model/report.js';
import { isAlive, isProgressLine, startHarness, watchLog } from './support/harness-cli.js';
import { freeListenAddress, startRemoteWorker, tokenFile } from './support/remote-workers.js';
import { useTempDir } from './support/temp-dir.js';

const tempDir = useTempDir('evbridge-control-hostile-');

/** What hostile peers send; none of it may appear in a log line. */
const MARKER = 'HOSTILE-MARKER-7f3a';
const FLOOD = 1000;

/** Resolves once the server closed `socket` (it must: every hostile connection is closed by the coordinator). */
function closed(socket: Socket | WebSocket): Promise<void> {
  return new Promise((resolve) => socket.once('close', () => resolve()));
}

/** A raw TCP connection to the control port that sends `bytes` once connected. */
function rawConnection(host: string, port: number, bytes: string): Socket {
  const socket = connect({ host, port }, () => socket.write(bytes));
  socket.on('error', () => undefined);
  // Read (and drop) whatever the server answers: an unread socket never sees the server's close.
  socket.resume();
  return socket;
}

/** A WebSocket client that, once challenged, does `answer` (nothing, for a slow one). */
function wsClient(url: string, answer: (ws: WebSocket, challenge: { nonce: string }) => void): WebSocket {
  const ws = new WebSocket(url);
  ws.on('error', () => undefined);
  ws.once('message', (data) => answer(ws, JSON.parse(data.toString()) as { nonce: string }));
  return ws;
}

describe('hostile connections to the control port', () => {
  it('are closed and counted by reason, logged without their content; the run stays exact', async () => {
    const { file, token } = await tokenFile(tempDir(), 'run.token');
    const { file: wrongFile } = await tokenFile(tempDir(), 'wrong.token');
    const listen = await freeListenAddress();
    const [host, portText] = listen.split(':') as [string, string];
    const port = Number(portText);
    const url = `ws://${listen}`;
    const json = join(tempDir(), 'hostile.json');
    const harness = startHarness(
      [
        '--procs=2',
        '--listen',
        listen,
        '--expect-workers=2',
        `--token-file=${file}`,
        '--rate=300',
        '--duration=9s',
        '--warmup=1s',
        `--json=${json}`,
      ],
      { REDIS_URL: inject('redisUrl') },
    );
    const log = watchLog(harness);
    const workers = [1, 2].map(() => startRemoteWorker(url, ['--token-file', file]));
    await log.until(isProgressLine);

    // One of each, while the run measures.
    const wrongToken = startRemoteWorker(url, ['--token-file', wrongFile]);
    const noToken = wsClient(url, (ws) => ws.send(JSON.stringify({ type: 'auth', nonce: newNonce(), proof: '' })));
    const garbage = rawConnection(host, port, `${MARKER}\r\n\r\n`);
    const plainHttp = rawConnection(host, port, `GET /${MARKER} HTTP/1.1\r\nHost: x\r\n\r\n`);
    const oversize = wsClient(url, (ws) => ws.send(MARKER.repeat(10_000)));
    const slow = wsClient(url, () => undefined);
    // Listened for at once: some are closed before the wrong-token worker is done.
    const allClosed = Promise.all([noToken, garbage, plainHttp, oversize, slow].map(closed));
    const wrong = await wrongToken;
    expect(wrong.exitCode).toBe(1);
    expect(wrong.stderr).toMatch(/refused this worker's proof: its token is not the run's/);
    await allClosed;

    // 1,000 connects at once, each sending garbage: beyond the unauthenticated limit they are closed at once.
    await Promise.all(Array.from({ length: FLOOD }, () => closed(rawConnection(host, port, `${MARKER}\r\n\r\n`))));

    const result = await harness;
    await Promise.all(workers);
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(await readFile(json, 'utf8')) as Report;
    expect(report.outcome).toBe('complete');
    expect(report.totals.deliveryRatio).toBe(1);
    expect(report.totals.lost).toBe(0);
    expect(report.instances).toHaveLength(4);
    const refused = report.control!.refused;
    expect(refused.badProof).toBe(1);
    expect(refused.oversize).toBe(1);
    expect(refused.slow).toBe(1);
    expect(refused.surplus).toBe(0);
    // no token, garbage and plain HTTP are garbage; each flood connection is garbage or over the limit.
    expect(refused.garbage + refused.overLimit).toBe(3 + FLOOD);
    expect(refused.overLimit).toBeGreaterThan(0);
    expect(report.control!.workersArrived).toBe(2);
    // Logged once per reason burst, and never with what the peers sent.
    const refusalLines = log.lines().filter((line) => /control channel: closed a connection/.test(String(line.msg)));
    expect(new Set(refusalLines.map((line) => line.reason))).toEqual(
      new Set(['badProof', 'garbage', 'oversize', 'slow', 'overLimit']),
    );
    expect(refusalLines.length).toBeLessThanOrEqual(10);
    expect(result.stderr).not.toContain(MARKER);
    expect(result.stdout).not.toContain(MARKER);
    expect(result.stderr).not.toContain(token);
    for (const worker of workers) expect(isAlive(worker.pid!)).toBe(false);
  }, 90_000);
});
