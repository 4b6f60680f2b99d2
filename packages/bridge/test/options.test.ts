// Options validation at the constructor: piscina-style TypeErrors, defaults, no secrets echoed.

import { describe, expect, it } from 'vitest';
import { EventBridge } from '../src/bridge.js';
import { BRIDGE_DEFAULTS, resolveBridgeOptions, type BridgeOptions } from '../src/options.js';

const redis = 'redis://127.0.0.1:6399';

function attempt(options: unknown): unknown {
  try {
    new EventBridge(options as BridgeOptions);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('options', () => {
  it('fills in the documented defaults', () => {
    const resolved = resolveBridgeOptions({ redis });
    expect(resolved.namespace).toBe('evbridge');
    expect(resolved.channel).toBe('evbridge:events');
    expect(resolved.maxPayloadBytes).toBe(BRIDGE_DEFAULTS.maxPayloadBytes);
    expect(resolved.maxPayloadBytes).toBe(1024 * 1024);
    expect(resolved.connectTimeoutMs).toBe(10_000);
    expect(resolved.closeTimeoutMs).toBe(5_000);
    expect(resolved.healthCheckIntervalMs).toBe(1_000);
    expect(resolved.healthCheckTimeoutMs).toBe(3_000);
    expect(resolveBridgeOptions({ redis, healthCheckIntervalMs: 0 }).healthCheckIntervalMs).toBe(0);
  });

  it('puts the namespace in the channel name', () => {
    const bridge = new EventBridge({ redis, namespace: 'shop.orders-v2' });
    expect(bridge.channel).toBe('shop.orders-v2:events');
    expect(bridge.state).toBe('idle');
  });

  it.each([
    [undefined, /^options must be an object/],
    [
      {},
      /^options.redis must be a redis:\/\/, rediss:\/\/, redis\+sentinel:\/\/ or redis\+cluster:\/\/ URL string or an ioredis options object$/,
    ],
    [{ redis: 42 }, /^options.redis must be/],
    [{ redis: 'http://h:1' }, /^options.redis: the Redis URL must be one of redis:\/\/.*redis\+cluster:\/\//],
    [{ redis: 'not a url' }, /^options.redis: the Redis URL must be one of/],
    [{ redis: 'redis+sentinel://:pw@h:26379' }, /^options.redis: a redis\+sentinel:\/\/ URL needs the master name/],
    [{ redis: 'redis+cluster://h:7000/0' }, /^options.redis: a redis\+cluster:\/\/ URL takes no path/],
    [
      { redis: 'redis+cluster://h:7000', shardChannels: 2000 },
      /^options.shardChannels must be an integer from 1 to 1024/,
    ],
    [
      { redis: 'redis+cluster://h:7000', delivery: 'at-least-once' },
      /^options.delivery 'at-least-once' is not available on a Redis Cluster/,
    ],
    [{ redis, redisOptions: 'x' }, /^options.redisOptions must be an ioredis options object$/],
    [{ redis, namespace: '' }, /^options.namespace must be a non-empty string of \[A-Za-z0-9:_.-\]/],
    [{ redis, namespace: 'has space' }, /^options.namespace must be/],
    [{ redis, namespace: 'a*' }, /^options.namespace must be/],
    [{ redis, namespace: 7 }, /^options.namespace must be/],
    [{ redis, instanceId: '' }, /^options.instanceId must be a non-empty string/],
    [{ redis, instanceId: 'a b' }, /^options.instanceId must be/],
    [{ redis, host: '' }, /^options.host must be a non-empty string$/],
    [{ redis, maxPayloadBytes: 0 }, /^options.maxPayloadBytes must be a positive integer/],
    [{ redis, maxPayloadBytes: 1.5 }, /^options.maxPayloadBytes must be a positive integer/],
    [{ redis, maxPayloadBytes: 2 ** 40 }, /^options.maxPayloadBytes must be a positive integer of at most/],
    [{ redis, connectTimeoutMs: -1 }, /^options.connectTimeoutMs must be a positive integer$/],
    [{ redis, closeTimeoutMs: '5' }, /^options.closeTimeoutMs must be a positive integer$/],
    [
      { redis, healthCheckIntervalMs: -1 },
      /^options.healthCheckIntervalMs must be a non-negative integer of ms \(0 turns health checks off\)$/,
    ],
    [{ redis, healthCheckIntervalMs: 2 ** 31 }, /^options.healthCheckIntervalMs must be/],
    [{ redis, healthCheckTimeoutMs: 0 }, /^options.healthCheckTimeoutMs must be a positive integer of ms$/],
    [{ redis, healthCheckTimeoutMs: 0.5 }, /^options.healthCheckTimeoutMs must be/],
    [{ redis, logger: {} }, /^options.logger must have warn\(obj, msg\) and error\(obj, msg\)/],
  ])('rejects %j', (options, message) => {
    const error = attempt(options);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(message);
  });

  it('never echoes a URL that may hold a password', () => {
    const error = attempt({ redis: 'redis://:hunter2@[::1' }) as Error;
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).not.toContain('hunter2');
    const wrongScheme = attempt({ redis: 'https://:hunter2@h:1' }) as Error;
    expect(wrongScheme.message).not.toContain('hunter2');
  });

  it('accepts ioredis options objects and rediss URLs', () => {
    expect(attempt({ redis: { host: '127.0.0.1', port: 6399, password: 'x' } })).toBeUndefined();
    expect(
      attempt({ redis: 'rediss://:x@127.0.0.1:6399/0', redisOptions: { tls: { rejectUnauthorized: false } } }),
    ).toBeUndefined();
  });
});
