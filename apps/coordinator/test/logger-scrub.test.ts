// The coordinator's logger scrubs every line of the registered secrets, in both of its forms (JSON lines, TTY).
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { execaNode } from 'execa';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log/logger.js';
import { relayWorkerLog } from '../src/fleet/worker-log.js';
import { SecretRegistry } from '../src/log/secret-registry.js';

const SECRET = 'hunter2-Zq9';

describe('createLogger with secrets', () => {
  it('JSON lines on stderr (a real process): own lines, error objects and relayed worker lines come out scrubbed', async () => {
    const dist = (file: string): string => fileURLToPath(new URL(`../dist/${file}`, import.meta.url));
    const script = `
      const { createLogger } = await import(${JSON.stringify(dist('log/logger.js'))});
      const { SecretRegistry } = await import(${JSON.stringify(dist('log/secret-registry.js'))});
      const { relayWorkerLog } = await import(${JSON.stringify(dist('fleet/worker-log.js'))});
      const secrets = new SecretRegistry();
      const logger = createLogger('info', process.stderr, secrets);
      logger.info('before the secret is known');
      secrets.add([${JSON.stringify(SECRET)}]);
      logger.warn({ url: 'redis://:${SECRET}@h:1' }, 'connecting');
      logger.error({ err: Object.assign(new Error('WRONGPASS'), { command: { name: 'auth', args: ['${SECRET}'] } }) }, 'auth failed');
      relayWorkerLog(logger.child({ worker: 0 }), JSON.stringify({ level: 50, msg: 'worker says ${SECRET}' }));
      relayWorkerLog(logger.child({ worker: 0 }), 'not json ${SECRET}');
    `;
    const result = await execaNode('--input-type=module', ['-e', script], { reject: false, stdin: 'ignore' });
    expect(result.exitCode, result.stderr).toBe(0);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(result.stderr).not.toContain(SECRET);
    expect(result.stderr).toContain('redis://:***@h:1');
    expect(result.stderr).toContain('"args":["***"]');
    expect(result.stderr).toContain('worker says ***');
  });

  it('pretty lines on a terminal are scrubbed too', async () => {
    let written = '';
    const tty = Object.assign(
      new Writable({
        write: (chunk, _encoding, done) => {
          written += String(chunk);
          done();
        },
      }),
      { isTTY: true },
    ) as unknown as NodeJS.WriteStream;
    const secrets = new SecretRegistry();
    secrets.add([SECRET]);
    const logger = createLogger('info', tty, secrets);
    logger.warn({ password: SECRET }, `the secret ${SECRET}`);
    relayWorkerLog(logger, JSON.stringify({ level: 40, msg: `relayed ${SECRET}` }));
    const deadline = Date.now() + 5000;
    while (!written.includes('relayed') && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(written).toContain('the secret ***');
    expect(written).toContain('relayed ***');
    expect(written).not.toContain(SECRET);
  });
});
