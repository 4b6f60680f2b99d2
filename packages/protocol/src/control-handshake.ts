// The remote control channel's handshake, before any worker-protocol message: challenge -> auth -> welcome, each a
// JSON text frame; its messages, their validators and each end's steps as pure functions (no socket in here).
import { CONTROL_AUTH_VERSION, checkControlProof, controlProof, isNonce, newNonce } from './control-auth.js';

/** Coordinator -> worker, first frame on a new connection: who speaks which handshake, and a fresh nonce. */
export interface ChallengeMessage {
  type: 'challenge';
  version: number;
  nonce: string;
}

/** Worker -> coordinator: the worker's own fresh nonce and its proof over both nonces. */
export interface AuthMessage {
  type: 'auth';
  nonce: string;
  proof: string;
}

/**
 * Coordinator -> worker: the coordinator's proof (the worker checks it before it says hello), and the heartbeat it
 * will keep: a ping every heartbeatMs; a worker that hears none for silenceMs takes the coordinator for gone.
 */
export interface WelcomeMessage {
  type: 'welcome';
  proof: string;
  heartbeatMs: number;
  silenceMs: number;
}

/**
 * Coordinator -> worker after the handshake, besides the worker protocol: end yourself at once with SIGKILL (the
 * kill-worker fault, and terminate for a worker the coordinator cannot signal). Not a worker-protocol message: the
 * carrier (remote-main) acts on it, the session never sees it.
 */
export interface KillMessage {
  type: 'kill';
}

export const KILL_MESSAGE: KillMessage = { type: 'kill' };

/** Largest handshake frame either end accepts (a challenge, an auth or a welcome is under 300 bytes). */
export const HANDSHAKE_FRAME_MAX_BYTES = 4096;

/** A proof's shape: an HMAC-SHA256 in base64url (43 characters). */
const isProof = (value: unknown): value is string => typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);

const isPositiveInt = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) > 0;

/** A JSON object parsed from a frame, or undefined for anything else (never throws, never quotes the frame). */
function objectOf(frame: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(frame);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** How a coordinator's check of a worker's auth frame ended. */
export type AuthCheck =
  | { ok: true; welcome: WelcomeMessage }
  /** garbage: not an auth message at all; badProof: well-formed, and the proof is not the token's. */
  | { ok: false; reason: 'garbage' | 'badProof' };

/** The coordinator's end of one connection's handshake: the challenge to send, then the check of the answer. */
export interface CoordinatorHandshake {
  readonly challenge: ChallengeMessage;
  check(frame: string): AuthCheck;
}

export function coordinatorHandshake(
  token: string,
  heartbeat: { heartbeatMs: number; silenceMs: number },
  nonce: string = newNonce(),
): CoordinatorHandshake {
  return {
    challenge: { type: 'challenge', version: CONTROL_AUTH_VERSION, nonce },
    check(frame) {
      const auth = objectOf(frame);
      if (auth?.['type'] !== 'auth' || !isNonce(auth['nonce']) || !isProof(auth['proof'])) {
        return { ok: false, reason: 'garbage' };
      }
      const nonces = { coordinator: nonce, worker: auth['nonce'] };
      // A worker echoing the coordinator's own nonce could replay the coordinator's proof; refused.
      if (auth['nonce'] === nonce || !checkControlProof(token, 'worker', nonces, auth['proof'])) {
        return { ok: false, reason: 'badProof' };
      }
      return {
        ok: true,
        welcome: { type: 'welcome', proof: controlProof(token, 'coordinator', nonces), ...heartbeat },
      };
    },
  };
}

/** How a worker's step of the handshake ended; `problem` is one line naming the fix, never quoting a frame. */
export type WorkerStep<T> = { ok: true; value: T } | { ok: false; problem: string };

/** The worker's end: answers the challenge, then checks the welcome against its own nonce. */
export interface WorkerHandshake {
  answer(frame: string): WorkerStep<AuthMessage>;
  checkWelcome(frame: string): WorkerStep<WelcomeMessage>;
}

export function workerHandshake(token: string, nonce: string = newNonce()): WorkerHandshake {
  let coordinatorNonce: string | undefined;
  return {
    answer(frame) {
      const challenge = objectOf(frame);
      if (challenge?.['type'] !== 'challenge') {
        return { ok: false, problem: 'the peer did not open with a challenge: is --coordinator an evbridge harness?' };
      }
      if (challenge['version'] !== CONTROL_AUTH_VERSION) {
        return {
          ok: false,
          problem: `the coordinator speaks control handshake ${String(challenge['version'])}, this worker ${CONTROL_AUTH_VERSION}: run the same evbridge build on both ends`,
        };
      }
      if (!isNonce(challenge['nonce'])) return { ok: false, problem: 'the challenge carries a malformed nonce' };
      coordinatorNonce = challenge['nonce'];
      const proof = controlProof(token, 'worker', { coordinator: coordinatorNonce, worker: nonce });
      return { ok: true, value: { type: 'auth', nonce, proof } };
    },
    checkWelcome(frame) {
      if (coordinatorNonce === undefined) return { ok: false, problem: 'a welcome came before any challenge' };
      const welcome = objectOf(frame);
      if (
        welcome?.['type'] !== 'welcome' ||
        !isPositiveInt(welcome['heartbeatMs']) ||
        !isPositiveInt(welcome['silenceMs'])
      ) {
        return {
          ok: false,
          problem: 'the coordinator did not welcome this worker: is its token the same as this one?',
        };
      }
      const nonces = { coordinator: coordinatorNonce, worker: nonce };
      if (!checkControlProof(token, 'coordinator', nonces, welcome['proof'])) {
        return {
          ok: false,
          problem: 'the coordinator could not prove it holds the token: it is not the run this token belongs to',
        };
      }
      return {
        ok: true,
        value: {
          type: 'welcome',
          proof: welcome['proof'] as string,
          heartbeatMs: welcome['heartbeatMs'],
          silenceMs: welcome['silenceMs'],
        },
      };
    },
  };
}

/** True for the coordinator's kill order (a frame the carrier handles itself). */
export function isKillMessage(raw: unknown): raw is KillMessage {
  return typeof raw === 'object' && raw !== null && (raw as { type?: unknown }).type === 'kill';
}
