// Who may join a run over the network: both ends prove they hold the run's shared token by an HMAC over two fresh
// nonces (challenge-response, both ways), so the token itself never crosses the wire and neither end talks to an
// impostor (the coordinator hands workers the Redis credentials only after this).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Bumped when the handshake changes; the first message says which one it speaks. */
export const CONTROL_AUTH_VERSION = 1;
/** Random bytes per nonce (256 bits): never repeated, never guessed. */
const NONCE_BYTES = 32;
/** The shortest token accepted: 128 bits of entropy written as hex or base64url. */
export const TOKEN_MIN_LENGTH = 22;

/** Each proof is bound to its direction, so a worker's proof cannot be replayed as the coordinator's, or back. */
type Direction = 'worker' | 'coordinator';

/** A token made for a run: 256 random bits, base64url (43 characters, safe in a file, a Secret and an env var). */
export function newControlToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Why `token` cannot be used, or undefined when it can (it is a secret: the reason never quotes it). */
export function controlTokenProblem(token: string): string | undefined {
  if (token.length < TOKEN_MIN_LENGTH) {
    return `the token is ${token.length} characters long; it needs at least ${TOKEN_MIN_LENGTH} (make one with: openssl rand -base64 32)`;
  }
  if (/\s/.test(token)) return 'the token contains whitespace (a stray newline in its file is trimmed; others are not)';
  return undefined;
}

export function newNonce(): string {
  return randomBytes(NONCE_BYTES).toString('base64url');
}

/** The proof that whoever computed it holds `token`: HMAC-SHA256 over the version, the direction and both nonces. */
export function controlProof(
  token: string,
  direction: Direction,
  nonces: { coordinator: string; worker: string },
): string {
  return createHmac('sha256', token)
    .update(`evbridge-control/${CONTROL_AUTH_VERSION}\n${direction}\n${nonces.coordinator}\n${nonces.worker}`)
    .digest('base64url');
}

/** True when `proof` is the one `token` gives; compared in constant time, any malformed proof false. */
export function checkControlProof(
  token: string,
  direction: Direction,
  nonces: { coordinator: string; worker: string },
  proof: unknown,
): boolean {
  if (typeof proof !== 'string') return false;
  const expected = Buffer.from(controlProof(token, direction, nonces), 'base64url');
  const given = Buffer.from(proof, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** True for a nonce of the right shape (a peer's nonce is checked before it is used in a proof). */
export function isNonce(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}
