// TLS for a rediss:// Redis: the CA file is read once by the coordinator; workers get its text over IPC.
import { readFile } from 'node:fs/promises';
import type { RedisOptions } from 'ioredis';

/** The TLS material every connection of a run uses (the `redisTls` field of the configure message). */
export interface RedisTls {
  /** PEM text of the CA certificate(s) that signed the server's certificate. */
  caPem: string;
}

const PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----';

/** Reads and checks the CA file; rejects with one line naming the file and the fix. Undefined in, undefined out. */
export async function readRedisTls(caFile: string | undefined): Promise<RedisTls | undefined> {
  if (caFile === undefined) return undefined;
  let caPem: string;
  try {
    caPem = await readFile(caFile, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `cannot read the Redis CA file (--redis-ca / REDIS_CA_FILE): ${reason}; give the path of a PEM certificate`,
      { cause: error },
    );
  }
  if (!caPem.includes(PEM_CERTIFICATE)) {
    throw new Error(
      `the Redis CA file ${caFile} (--redis-ca / REDIS_CA_FILE) holds no PEM certificate ("${PEM_CERTIFICATE}"): give a CA certificate in PEM form`,
    );
  }
  return { caPem };
}

/** ioredis options for `tls` (merged over a rediss:// URL's `tls: true`); {} without TLS material. */
export function tlsClientOptions(tls: RedisTls | undefined): RedisOptions {
  return tls === undefined ? {} : { tls: { ca: tls.caPem } };
}
