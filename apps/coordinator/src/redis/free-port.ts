// Ask the OS for a free loopback TCP port (listen on port 0, read it, close). Racy by nature: callers retry.

import { createServer } from 'node:net';

export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close((error) => {
        if (error) reject(error);
        else if (port === 0) reject(new Error(`could not read the port the OS assigned on ${host}`));
        else resolve(port);
      });
    });
  });
}
