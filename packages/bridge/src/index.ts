// Public API of @evbridge/bridge.

export { EventBridge, type BridgeLifecycleEvents, type CollisionInfo } from './bridge.js';
export {
  BRIDGE_DEFAULTS,
  COALESCE_MODES,
  CONNECTIONS_MODES,
  DELIVERY_MODES,
  type BridgeOptions,
  type CoalesceMode,
  type ConnectionsMode,
  type DeliveryMode,
} from './options.js';
export type { StreamGap } from './stream-gap.js';
export { PUBLISH_PIPELINING_MODES, type PublishPipelining } from './publish-pipeline.js';
export { channelFor, streamKeyFor } from './channel.js';
export { publishChannelFor, shardChannelsFor } from './shard-channels.js';
export { keySlot } from './cluster-slot.js';
export { connectionNameFor, type ConnectionKind, type ConnectionRole } from './redis-clients.js';
export type { BridgeState } from './state.js';
export { OUTPUT_BUFFER_LAG_MS, type OutageCause, type RecoveryInfo, type StateChange } from './outage.js';
export { createCounters, snapshotCounters, type BridgeCounters } from './counters.js';
export type { AnyEventHandler, EventHandler } from './handlers.js';
export { createIdentity, createNonce, type BridgeIdentity, type IdentityInput } from './identity.js';
export type { BridgeLogger } from './logger.js';
export { nowEpochUs } from './clock.js';
export { redactRedisUrl, redactSecrets } from './redact.js';
export {
  describeRedisUrl,
  parseRedisUrl,
  REDIS_TOPOLOGIES,
  REDIS_URL_FORMS,
  RedisUrlError,
  redisUrlSecrets,
  topologyOfUrl,
  type ParsedRedisUrl,
  type RedisHostPort,
  type RedisTopology,
} from './redis-url.js';
export { sentinelOptionsFor } from './sentinel-options.js';
export { channelRuleFor, deniedPermission, describeDenied, type DeniedPermission } from './permission.js';
export {
  BridgeClosedError,
  BridgeConnectError,
  BridgeError,
  BridgeNotReadyError,
  BridgePublishError,
  type BridgeErrorCode,
} from './errors.js';
export {
  decodeMessage,
  validateBatch,
  type BatchEnvelope,
  type BatchEvent,
  type BatchValidationResult,
  type MessageResult,
} from './envelope-batch.js';
export {
  BATCH_ENVELOPE_VERSION,
  decodeEnvelope,
  DEFAULT_MAX_PAYLOAD_BYTES,
  encodeEnvelope,
  ENVELOPE_VERSION,
  eventId,
  MALFORMED_KINDS,
  metaFromEnvelope,
  utf8ByteLength,
  validateEnvelope,
  type DecodeResult,
  type Envelope,
  type EventMeta,
  type MalformedKind,
  type ValidationResult,
} from './envelope.js';
