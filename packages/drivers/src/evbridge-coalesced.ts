// The `evbridge-coalesced` driver: @evbridge/bridge with coalesce: 'tick' (one batch PUBLISH per event-loop turn).
import { evbridgeDefinition } from './evbridge.js';

export default evbridgeDefinition(
  'evbridge-coalesced',
  "@evbridge/bridge with coalesce: 'tick': the publishes of one event-loop turn travel as one batch envelope in one PUBLISH",
  { coalesce: 'tick' },
);
