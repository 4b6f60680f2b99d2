// Types of the values test/global-setup.ts provides to tests (vitest provide/inject).

declare module 'vitest' {
  export interface ProvidedContext {
    /** `redis://:password@127.0.0.1:port` of the shared private redis-server. Use a unique namespace per test. */
    redisUrl: string;
  }
}

export {};
