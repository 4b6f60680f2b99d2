// The words the run's options take (--pacer, --mode, --isolate, --identity), apart from their parsers
// (command-line/option-values.ts), so the options' types and defaults need nothing that parses.
import type { PacerKind } from '@evbridge/protocol';

/** `open-loop`: a timer to each due event; `precise`: the last millisecond polled; `naive-interval`: a 1 ms setInterval. */
export type PacerName = PacerKind;

export const MODES = ['procs', 'threads'] as const;
export type ModeName = (typeof MODES)[number];

export const ISOLATIONS = ['none', 'pidns'] as const;
export type IsolationName = (typeof ISOLATIONS)[number];

export const IDENTITIES = ['default', 'pid'] as const;
export type IdentityName = (typeof IDENTITIES)[number];

/** `at-most-once`: the driver's pub/sub; `at-least-once`: its durable mode (evbridge: Redis Streams). */
export const DELIVERIES = ['at-most-once', 'at-least-once'] as const;
export type DeliveryName = (typeof DELIVERIES)[number];
/** What the harness runs against (--topology): one redis-server, a Sentinel group, or a Redis Cluster. */
export const TOPOLOGIES = ['standalone', 'sentinel', 'cluster'] as const;
export type TopologyName = (typeof TOPOLOGIES)[number];
