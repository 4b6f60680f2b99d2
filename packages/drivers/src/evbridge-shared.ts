// The `evbridge-shared` driver: @evbridge/bridge on one RESP3 connection per instance (commands and pub/sub pushes).
import { evbridgeDefinition } from './evbridge.js';

export default evbridgeDefinition(
  'evbridge-shared',
  '@evbridge/bridge with connections: shared: one RESP3 connection per instance both publishes and receives',
  { connections: 'shared' },
);
