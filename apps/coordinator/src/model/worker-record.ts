// What the coordinator learns about one worker as the run goes: the messages it sent, as parsed (histograms decoded).
import type { WorkerMessageOf } from '@evbridge/protocol';

/** What the coordinator learns about one worker as the run goes. */
export interface WorkerRecord {
  index: number;
  pid: number;
  hello?: WorkerMessageOf<'hello'>;
  instanceId?: string;
  host?: string;
  /** The driver's Redis connections by name, from its ready message (empty when the driver names none). */
  connections?: WorkerMessageOf<'ready'>['connections'];
  clock?: { offsetUs: number; rttUs: number };
  lastStats?: WorkerMessageOf<'stats'>;
  stopped?: WorkerMessageOf<'stopped'>;
  final?: WorkerMessageOf<'final'>;
  /** IPC messages the worker sent from the start message to the end of the measured window, and that span. */
  ipc?: { messages: number; durationMs: number };
}
