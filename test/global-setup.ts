// Vitest global setup: one private redis-server for the whole run; tests read its URL with inject('redisUrl').

import type { TestProject } from 'vitest/node';
import { startPrivateRedis } from '../apps/coordinator/src/redis/private-server.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const redis = await startPrivateRedis();
  project.provide('redisUrl', redis.url);
  return async () => {
    await redis.stop();
  };
}
