// Before any worker is forked, a bridge of the coordinator's own does what every worker will (PING, SUBSCRIBE and
// PUBLISH on the run's channel), so a Redis user that lacks a permission fails the run at once, naming it.
import { deniedPermission, type DeliveryMode, EventBridge } from '@evbridge/bridge';
import type { RedisOptions } from 'ioredis';
import { RunSetupError } from './context.js';

export interface PreflightTarget {
  url: string;
  clientOptions: RedisOptions;
}

/** The event type of the one preflight publish (no worker exists yet: only the preflight bridge hears it). */
export const PREFLIGHT_EVENT = 'evbridge.harness.preflight';

/**
 * Connects a bridge on `namespace`, publishes one event, closes. Rejects with a RunSetupError carrying the bridge's
 * message (it names the missing permission and holds no password).
 */
export async function checkRedisPermissions(
  redis: PreflightTarget,
  namespace: string,
  timeoutMs: number,
  delivery: DeliveryMode = 'at-most-once',
): Promise<void> {
  const bridge = new EventBridge({
    redis: redis.url,
    // No ready check: it runs INFO, which a least-privilege user may lack (ioredis then prints a warning).
    // commandTimeout: a server that accepts the connection and never answers must not hold the run.
    redisOptions: {
      ...redis.clientOptions,
      enableReadyCheck: false,
      maxRetriesPerRequest: 1,
      commandTimeout: timeoutMs,
    },
    namespace,
    // At least once: the stream commands and keys every worker will use (XINFO, XREAD, XADD on <namespace>:stream).
    delivery,
    connectTimeoutMs: timeoutMs,
    closeTimeoutMs: 1000,
  });
  try {
    await bridge.connect();
    await bridge.publish(PREFLIGHT_EVENT, null);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // The bridge names this run's namespace; the next run has another one under the same prefix.
    const prefix = namespace.slice(0, namespace.lastIndexOf(':') + 1);
    // The bridge's error keeps Redis's NOPERM reply (scrubbed) as its cause.
    const denied = error instanceof Error && deniedPermission(error.cause) !== undefined;
    const hint =
      denied && prefix !== ''
        ? ` Every run uses a new namespace under ${prefix}, so grant ${delivery === 'at-least-once' ? '~' : '&'}${prefix}* rather than this run's own.`
        : '';
    const sentence = /[.!?]$/.test(reason) ? reason : `${reason}.`;
    throw new RunSetupError(
      `the Redis user cannot do what every worker must (checked before forking any): ${sentence}${hint}`,
      { cause: error },
    );
  } finally {
    await bridge.close();
  }
}
