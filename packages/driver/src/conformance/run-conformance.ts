// The conformance kit: runs a driver in N real processes against one Redis and checks the properties every event
// bridge must have; says which hold, with the evidence.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { loadDriverModule } from '../load.js';
import { KitInstance } from './kit-instance.js';
import type { ReceivedEvent } from './messages.js';

export const CONFORMANCE_PROPERTIES = [
  'subscribe-before-ready',
  'self-filter',
  'fan-out',
  'survives-subscriber-kill',
  'close-without-leaks',
] as const;
export type ConformanceProperty = (typeof CONFORMANCE_PROPERTIES)[number];

export interface ConformanceOptions {
  /** The driver module: a file path (relative to the working directory) or a file: URL. */
  moduleUrl: string;
  /** A Redis the kit may disrupt (it kills subscriber connections): give it one of its own. */
  redisUrl: string;
  redisTls?: { caPem: string } | undefined;
  /** Instance processes (default 3). */
  instances?: number;
  /** Events each instance publishes for the fan-out check (default 50). */
  events?: number;
  /** Longest wait for any one property's evidence (default 10 s). */
  timeoutMs?: number;
}

export interface PropertyResult {
  property: ConformanceProperty;
  holds: boolean;
  detail: string;
}

export interface ConformanceResult {
  driver: string;
  identityScheme: string;
  instances: { pid: number; instanceId: string }[];
  properties: PropertyResult[];
  /** Every property holds. */
  passed: boolean;
}

const POLL_MS = 100;
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
/** How long an instance process may take to exit once its driver closed and the kit let go of it. */
const EXIT_AFTER_CLOSE_MS = 5000;

/** Runs the kit; never leaves a process or connection behind, whichever way it ends. */
export async function runConformance(options: ConformanceOptions): Promise<ConformanceResult> {
  const definition = await loadDriverModule(options.moduleUrl);
  const count = options.instances ?? 3;
  const events = options.events ?? 50;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const namespace = `conformance-${randomBytes(4).toString('hex')}`;
  const control = new Redis(options.redisUrl, {
    lazyConnect: true,
    ...(options.redisTls ? { tls: { ca: options.redisTls.caPem } } : {}),
  });
  control.on('error', () => {});
  const instances = Array.from({ length: count }, (_, index) => new KitInstance(index));
  const results: PropertyResult[] = [];
  const ids: string[] = [];
  try {
    await control.connect();
    for (const instance of instances) {
      const reply = await instance.ask<{ ok: true; instanceId?: string }>({
        cmd: 'create',
        moduleUrl: options.moduleUrl,
        redisUrl: options.redisUrl,
        redisTls: options.redisTls,
        namespace,
      });
      ids.push(reply.instanceId ?? '');
    }
    const subscriberNames: string[] = [];
    for (const instance of instances) {
      const reply = await instance.ask<{ ok: true; instanceId?: string; subscriberNames?: string[] }>({
        cmd: 'connect',
      });
      // A library may make its id only when connecting: the id after connect() is the one events carry.
      ids[instance.index] = reply.instanceId ?? '';
      subscriberNames.push(...(reply.subscriberNames ?? []));
    }
    const heard = new Heard(instances, ids);
    // A step that cannot finish (an instance process died: a driver's unhandled rejection, say) fails its property
    // with the reason; the properties after it are checked as far as they can be.
    const check = async (property: ConformanceProperty, step: () => Promise<PropertyResult> | PropertyResult) => {
      try {
        results.push(await step());
      } catch (error) {
        results.push({ property, holds: false, detail: `could not be checked: ${messageOf(error)}` });
      }
    };
    await check('subscribe-before-ready', () => subscribeBeforeReady(instances, heard, timeoutMs));
    await check('fan-out', () => fanOut(instances, heard, events, timeoutMs));
    await check('survives-subscriber-kill', () =>
      survivesSubscriberKill(instances, heard, control, subscriberNames, timeoutMs),
    );
    await check('self-filter', () => selfFilter(heard, ids));
    await check('close-without-leaks', () => closeWithoutLeaks(instances));
  } finally {
    for (const instance of instances) await instance.exitsWithin(0);
    control.disconnect();
  }
  const order = (result: PropertyResult) => CONFORMANCE_PROPERTIES.indexOf(result.property);
  const properties = results.sort((a, b) => order(a) - order(b));
  return {
    driver: definition.name,
    identityScheme: definition.identityScheme,
    instances: instances.map((instance, index) => ({ pid: instance.pid, instanceId: ids[index] ?? '' })),
    properties,
    passed: properties.length === CONFORMANCE_PROPERTIES.length && properties.every((result) => result.holds),
  };
}

/** Everything each instance received so far, gathered from the processes. */
class Heard {
  readonly byInstance: ReceivedEvent[][];
  readonly selfEchoes: number[];
  constructor(
    readonly instances: KitInstance[],
    readonly ids: string[],
  ) {
    this.byInstance = instances.map(() => []);
    this.selfEchoes = instances.map(() => 0);
  }

  async collect(): Promise<void> {
    for (const instance of this.instances) {
      const reply = await instance.ask<{ ok: true; received: ReceivedEvent[]; selfEchoes: number }>({ cmd: 'report' });
      this.byInstance[instance.index]!.push(...reply.received);
      this.selfEchoes[instance.index] = reply.selfEchoes;
    }
  }

  /** Distinct `i`s of events tagged `tag` that `receiver` got from instance `sender`. */
  distinct(receiver: number, sender: number, tag: string): Set<number> {
    const source = this.ids[sender];
    return new Set(
      this.byInstance[receiver]!.filter((event) => event.source === source && event.tag === tag).map(
        (event) => event.i,
      ),
    );
  }

  /** Polls until `done` holds or `timeoutMs` passes; whether it held. */
  async until(done: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.collect();
      if (done()) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** Each ordered pair of distinct instances (receiver, sender). */
  pairs(): [number, number][] {
    const n = this.instances.length;
    return Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, s) => [r, s] as [number, number]))
      .flat()
      .filter(([r, s]) => r !== s);
  }
}

async function subscribeBeforeReady(
  instances: KitInstance[],
  heard: Heard,
  timeoutMs: number,
): Promise<PropertyResult> {
  // Right after every connect() resolved, each publishes once: a driver that resolves before SUBSCRIBE is
  // acknowledged loses these.
  for (const instance of instances) await instance.ask({ cmd: 'publish', tag: 'first', count: 1 });
  const holds = await heard.until(
    () => heard.pairs().every(([r, s]) => heard.distinct(r, s, 'first').size > 0),
    timeoutMs,
  );
  const missing = heard.pairs().filter(([r, s]) => heard.distinct(r, s, 'first').size === 0);
  return {
    property: 'subscribe-before-ready',
    holds,
    detail: holds
      ? 'each instance heard every other one publish right after its connect() resolved'
      : `missed: ${missing.map(([r, s]) => `${r} never heard ${s}'s first event`).join(', ')}`,
  };
}

async function fanOut(
  instances: KitInstance[],
  heard: Heard,
  events: number,
  timeoutMs: number,
): Promise<PropertyResult> {
  await Promise.all(instances.map((instance) => instance.ask({ cmd: 'publish', tag: 'fan', count: events })));
  const complete = () => heard.pairs().every(([r, s]) => heard.distinct(r, s, 'fan').size === events);
  await heard.until(complete, timeoutMs);
  const problems: string[] = [];
  for (const [r, s] of heard.pairs()) {
    const got = heard.byInstance[r]!.filter((event) => event.source === heard.ids[s] && event.tag === 'fan');
    const distinct = new Set(got.map((event) => event.i)).size;
    const seqs = new Set(got.map((event) => event.seq)).size;
    if (distinct < events) problems.push(`${r} got ${distinct} of ${s}'s ${events}`);
    if (got.length > distinct) problems.push(`${r} got ${got.length - distinct} of ${s}'s twice`);
    if (seqs !== distinct)
      problems.push(`${s}'s events reached ${r} with ${seqs} distinct sequence numbers for ${distinct} events`);
  }
  const n = instances.length;
  return {
    property: 'fan-out',
    holds: problems.length === 0,
    detail:
      problems.length === 0
        ? `each of ${n} instances got all ${events} events of each of the other ${n - 1}, once each, with distinct sequence numbers`
        : problems.join('; '),
  };
}

function selfFilter(heard: Heard, ids: string[]): PropertyResult {
  const own = heard.byInstance.map((events, index) => events.filter((event) => event.source === ids[index]).length);
  const duplicateIds = ids.length - new Set(ids).size;
  const problems = [
    ...own.flatMap((n, index) => (n > 0 ? [`${index} received ${n} of its own events`] : [])),
    ...(duplicateIds > 0
      ? [`${duplicateIds + 1} instances share an instance id, so each drops the others' events`]
      : []),
  ];
  const echoes = heard.selfEchoes.reduce((sum, n) => sum + n, 0);
  return {
    property: 'self-filter',
    holds: problems.length === 0,
    detail:
      problems.length > 0
        ? problems.join('; ')
        : `no instance received its own events (${echoes} own echoes reported dropped; ids distinct in ${ids.length} processes)`,
  };
}

async function survivesSubscriberKill(
  instances: KitInstance[],
  heard: Heard,
  control: Redis,
  subscriberNames: string[],
  timeoutMs: number,
): Promise<PropertyResult> {
  const killed = await killSubscribers(control, subscriberNames);
  const startedMs = Date.now();
  let round = 0;
  const deadline = startedMs + timeoutMs * 1.5;
  const recovered = () => heard.pairs().every(([r, s]) => heard.distinct(r, s, 'after-kill').size > 0);
  while (Date.now() < deadline) {
    round += 1;
    await Promise.all(instances.map((instance) => instance.ask({ cmd: 'publish', tag: 'after-kill', count: 1 })));
    await heard.collect();
    if (recovered()) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const holds = recovered();
  return {
    property: 'survives-subscriber-kill',
    holds,
    detail: holds
      ? `${killed}; every instance heard every other again ${Date.now() - startedMs} ms later (${round} publish rounds)`
      : `${killed}; after ${Date.now() - startedMs} ms still not heard: ${heard
          .pairs()
          .filter(([r, s]) => heard.distinct(r, s, 'after-kill').size === 0)
          .map(([r, s]) => `${s} by ${r}`)
          .join(', ')}`,
  };
}

/** Kills the instances' subscriber connections: by name when the driver names them, else every pub/sub client, else every client. */
async function killSubscribers(control: Redis, names: string[]): Promise<string> {
  if (names.length > 0) {
    const list = String(await control.call('CLIENT', 'LIST'));
    const wanted = new Set(names);
    let killed = 0;
    for (const line of list.split('\n')) {
      const id = /(?:^|\s)id=(\d+)/.exec(line)?.[1];
      const name = /(?:^|\s)name=(\S*)/.exec(line)?.[1];
      if (id && name && wanted.has(name)) killed += Number(await control.call('CLIENT', 'KILL', 'ID', id));
    }
    return `CLIENT KILL closed ${killed} named subscriber connections`;
  }
  const pubsub = Number(await control.call('CLIENT', 'KILL', 'TYPE', 'pubsub'));
  if (pubsub > 0) return `CLIENT KILL TYPE pubsub closed ${pubsub} connections`;
  const all = Number(await control.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes'));
  return `no pub/sub connection and none named: CLIENT KILL closed all ${all} other connections`;
}

async function closeWithoutLeaks(instances: KitInstance[]): Promise<PropertyResult> {
  const problems = await Promise.all(
    instances.map(async (instance) => {
      const reply = await instance.ask<{ ok: true; handlesAfterClose: string[] }>({ cmd: 'close' });
      instance.disconnect();
      if (await instance.exitsWithin(EXIT_AFTER_CLOSE_MS)) return [];
      const held = reply.handlesAfterClose.join(', ') || 'nothing listed';
      return [`${instance.index} did not exit within ${EXIT_AFTER_CLOSE_MS / 1000} s of close() (still held: ${held})`];
    }),
  );
  const flat = problems.flat();
  return {
    property: 'close-without-leaks',
    holds: flat.length === 0,
    detail:
      flat.length === 0
        ? 'after close(), every instance process exited on its own: no socket, timer or listener kept it alive'
        : flat.join('; '),
  };
}
