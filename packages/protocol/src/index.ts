// @evbridge/protocol's main entry: what a worker loads at run time. It builds no zod schema (a worker does not load
// zod: ~3 MB of heap each); the schemas and their parsers are `@evbridge/protocol/schema`, for the coordinator.
export { monotonicNowUs, type Clock } from './clock.js';
export { type ClockDomain, clockDomain, sharesClock } from './clock-domain.js';
export {
  CONTROL_AUTH_VERSION,
  checkControlProof,
  controlProof,
  controlTokenProblem,
  isNonce,
  newControlToken,
  newNonce,
} from './control-auth.js';
export {
  type AuthCheck,
  type AuthMessage,
  type ChallengeMessage,
  type CoordinatorHandshake,
  coordinatorHandshake,
  HANDSHAKE_FRAME_MAX_BYTES,
  isKillMessage,
  KILL_MESSAGE,
  type KillMessage,
  type WelcomeMessage,
  type WorkerHandshake,
  workerHandshake,
  type WorkerStep,
} from './control-handshake.js';
export {
  CONTROL_TOKEN_ENV,
  type ControlToken,
  ControlTokenError,
  readControlToken,
  writeNewControlToken,
} from './control-token.js';
export { COORDINATOR_MESSAGE_FIELDS, parseCoordinatorMessageLean } from './coordinator-message.js';
export {
  parseFloorChildMessage,
  parseFloorParentMessage,
  type FloorChildMessage,
  type FloorConfigure,
  type FloorParentMessage,
  type FloorResult,
  type FloorStart,
} from './floor.js';
export type {
  BridgeCountersMessage,
  CoordinatorMessage,
  CoordinatorMessageOf,
  ParseResult,
  ResourceReport,
  TraceEvent,
  TraceMessage,
  WindowCounters,
  SentWorkerMessage,
  SentWorkerMessageOf,
  WorkerMessage,
  WorkerMessageOf,
} from './schema.js';
export {
  PACER_KINDS,
  PROTOCOL_VERSION,
  STATS_INTERVAL_MS,
  statsSendFraction,
  TRACE_EVENTS_MAX,
  emptyBridgeCounters,
  emptyWindowCounters,
  type PacerKind,
} from './values.js';
export { WORKER_NODE_FLAGS } from './worker-flags.js';
