// The control server and RemoteWorker over real sockets in this process: an authenticated worker that stops
// answering heartbeats is a failure named with its host and pid; one that ignores the kill order is cut off; and
// the arrival deadline names who came.
import { newControlToken, workerHandshake } from '@evbridge/protocol';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ControlServer } from '../src/control/control-server.js';

const TOKEN = newControlToken();
const servers: ControlServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function openServer(expectWorkers: number, killGraceMs = 300): Promise<ControlServer> {
  const server = await ControlServer.open({
    listen: { host: '127.0.0.1', port: 0 },
    token: TOKEN,
    firstIndex: 5,
    expectWorkers,
    heartbeat: { heartbeatMs: 100, silenceMs: 600 },
    logger: pino({ level: 'silent' }),
    limits: { killGraceMs },
  });
  servers.push(server);
  return server;
}

/** A worker that authenticates and says hello, then answers nothing (no pong: autoPong off), like a frozen host. */
function frozenWorker(url: string, pid: number): WebSocket {
  const ws = new WebSocket(url, { autoPong: false });
  const handshake = workerHandshake(TOKEN);
  ws.on('error', () => undefined);
  ws.on('message', (data) => {
    const frame = data.toString();
    const type = (JSON.parse(frame) as { type: string }).type;
    if (type === 'challenge') {
      const auth = handshake.answer(frame);
      if (auth.ok) ws.send(JSON.stringify(auth.value));
    } else if (type === 'welcome') {
      if (!handshake.checkWelcome(frame).ok) throw new Error('welcome refused');
      ws.send(
        JSON.stringify({
          type: 'hello',
          protocolVersion: 1,
          pid,
          host: 'far-host',
          nodeVersion: process.version,
          bridgeVersion: '0',
          threadId: 0,
        }),
      );
    }
  });
  return ws;
}

describe('ControlServer and RemoteWorker', () => {
  it('fails a worker silent past the heartbeat, naming its host and pid', async () => {
    const server = await openServer(1);
    const client = frozenWorker(server.url, 4242);
    const [worker] = await server.arrivals(5000, 'start one');
    expect(worker?.index).toBe(5);
    const failure = await worker!.failed.catch((error: unknown) => error as Error);
    expect(failure.message).toMatch(
      /^worker 5 \(host far-host, pid 4242\) stopped answering heartbeats for \d+ ms \(its connection was cut\)$/,
    );
    expect((await worker!.exited).exitCode).toBeNull();
    client.terminate();
  });

  it('cuts a worker that does not end itself on the kill order; its exit is expected, no failure', async () => {
    const server = await openServer(1, 200);
    const client = frozenWorker(server.url, 77);
    const [worker] = await server.arrivals(5000, 'start one');
    const exit = await worker!.terminate();
    expect(exit.reason).toBe('did not end itself within 200 ms of the kill order (its connection was cut)');
    expect(worker!.failure).toBeUndefined();
    client.terminate();
  });

  it('stops waiting at the arrival deadline, naming who came and how to start the others', async () => {
    const server = await openServer(2);
    const client = frozenWorker(server.url, 99);
    await expect(server.arrivals(800, 'pnpm evbridge-worker ...')).rejects.toThrow(
      '1 of 2 remote workers arrived within 0.8 s (worker 5 from far-host (pid 99)): start the others with `pnpm evbridge-worker ...`, or give them longer with --arrival-timeout',
    );
    expect(server.info()).toMatchObject({ workersExpected: 2, workersArrived: 1 });
    client.terminate();
  });
});
