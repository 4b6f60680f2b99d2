// Versions a worker announces in its hello, read from the package manifests.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const BRIDGE_VERSION: string = (require('@evbridge/bridge/package.json') as { version: string }).version;
