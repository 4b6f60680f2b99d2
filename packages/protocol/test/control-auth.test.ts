// The control channel's handshake as pure logic: a proof made with the run's token checks, one made with any other
// token, for the other direction, for other nonces or malformed does not; tokens are strong and nonces fresh.
import { describe, expect, it } from 'vitest';
import {
  checkControlProof,
  controlProof,
  controlTokenProblem,
  isNonce,
  newControlToken,
  newNonce,
} from '../src/control-auth.js';

const TOKEN = newControlToken();
const nonces = { coordinator: newNonce(), worker: newNonce() };

describe('control proofs', () => {
  it('check for the same token, direction and nonces', () => {
    const proof = controlProof(TOKEN, 'worker', nonces);
    expect(checkControlProof(TOKEN, 'worker', nonces, proof)).toBe(true);
    // The proof is an HMAC, not the token: nothing of the token is in it.
    expect(proof).not.toContain(TOKEN.slice(0, 8));
  });

  it('fail for another token, the other direction, other nonces or a malformed proof', () => {
    const proof = controlProof(TOKEN, 'worker', nonces);
    expect(checkControlProof(newControlToken(), 'worker', nonces, proof)).toBe(false);
    // A worker's proof replayed as the coordinator's (or back) does not pass.
    expect(checkControlProof(TOKEN, 'coordinator', nonces, proof)).toBe(false);
    expect(checkControlProof(TOKEN, 'worker', { ...nonces, coordinator: newNonce() }, proof)).toBe(false);
    expect(checkControlProof(TOKEN, 'worker', { ...nonces, worker: newNonce() }, proof)).toBe(false);
    for (const bad of [undefined, 42, '', 'short', `${proof}x`, proof.slice(1), TOKEN]) {
      expect(checkControlProof(TOKEN, 'worker', nonces, bad)).toBe(false);
    }
  });
});

describe('tokens and nonces', () => {
  it('makes 256-bit tokens and nonces that differ every time and have the shape the checks expect', () => {
    const tokens = new Set(Array.from({ length: 100 }, newControlToken));
    expect(tokens.size).toBe(100);
    for (const token of tokens) expect(controlTokenProblem(token)).toBeUndefined();
    const made = Array.from({ length: 100 }, newNonce);
    expect(new Set(made).size).toBe(100);
    expect(made.every(isNonce)).toBe(true);
    expect([undefined, 7, '', 'a'.repeat(42), 'a'.repeat(44), `${'a'.repeat(42)}!`].some(isNonce)).toBe(false);
  });

  it('refuses a short token or one with whitespace, naming the fix and never quoting it', () => {
    const short = 'hunter2-is-a-password';
    expect(controlTokenProblem(short)).toBe(
      'the token is 21 characters long; it needs at least 22 (make one with: openssl rand -base64 32)',
    );
    expect(controlTokenProblem(`${TOKEN} ${TOKEN}`)).toMatch(/whitespace/);
    expect(controlTokenProblem(`${TOKEN} ${TOKEN}`)).not.toContain(TOKEN);
  });
});
