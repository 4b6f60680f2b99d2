// Connection names: each bridge connection says in CLIENT LIST what it is (publisher or subscriber) and whose it is.
import { afterEach, describe, expect, it } from 'vitest';
import { connectionNameFor } from '../src/redis-clients.js';
import { Fixture, uniqueNamespace } from './helpers.js';

const fixture = new Fixture();
afterEach(() => fixture.close());

/** name= of every client in CLIENT LIST, with its TYPE (pubsub or normal). */
async function namedClients(): Promise<Array<{ name: string; pubsub: boolean }>> {
  const raw = await fixture.raw();
  const list = (await raw.call('CLIENT', 'LIST')) as string;
  return list
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => ({ name: /\bname=(\S*)/.exec(line)?.[1] ?? '', pubsub: /\bsub=[1-9]/.test(line) }));
}

describe('bridge connection names', () => {
  it('names the publisher evbridge:pub:<instanceId> and the subscriber evbridge:sub:<instanceId>', async () => {
    const [bridge] = await fixture.connected(1, { namespace: uniqueNamespace('names') });
    const clients = await namedClients();
    expect(clients).toContainEqual({ name: `evbridge:pub:${bridge!.instanceId}`, pubsub: false });
    expect(clients).toContainEqual({ name: `evbridge:sub:${bridge!.instanceId}`, pubsub: true });
  });

  it('replaces what CLIENT SETNAME refuses (spaces, non-ASCII) with _', () => {
    expect(connectionNameFor('publisher', 'host:42:abc')).toBe('evbridge:pub:host:42:abc');
    expect(connectionNameFor('subscriber', 'my service\n#1 é')).toBe('evbridge:sub:my_service_#1__');
  });

  it("keeps the user's own connectionName", async () => {
    const connectionName = `user-name-${uniqueNamespace('own').replaceAll('.', '-')}`;
    const [bridge] = await fixture.connected(1, {
      namespace: uniqueNamespace('own'),
      redisOptions: { connectionName },
    });
    const clients = await namedClients();
    expect(clients.filter((client) => client.name === connectionName)).toHaveLength(2);
    expect(clients.some((client) => client.name.endsWith(bridge!.instanceId))).toBe(false);
  });
});
