// The control handshake's two ends as pure steps: a worker and a coordinator with one token reach welcome; any
// other token, a replayed or malformed frame, or a coordinator without the token is refused, and nothing said
// on the wire carries the token.
import { describe, expect, it } from 'vitest';
import { CONTROL_AUTH_VERSION, controlProof, newControlToken, newNonce } from '../src/control-auth.js';
import { coordinatorHandshake, isKillMessage, workerHandshake } from '../src/control-handshake.js';

const TOKEN = newControlToken();
const HEARTBEAT = { heartbeatMs: 1000, silenceMs: 30_000 };

/** The frames of one handshake between a coordinator with `coordinatorToken` and a worker with `workerToken`. */
function converse(coordinatorToken: string, workerToken: string) {
  const coordinator = coordinatorHandshake(coordinatorToken, HEARTBEAT);
  const worker = workerHandshake(workerToken);
  const challenge = JSON.stringify(coordinator.challenge);
  const auth = worker.answer(challenge);
  if (!auth.ok) throw new Error(auth.problem);
  const authFrame = JSON.stringify(auth.value);
  const checked = coordinator.check(authFrame);
  return { coordinator, worker, challenge, authFrame, checked };
}

describe('control handshake', () => {
  it('welcomes a worker with the token, and the worker accepts the welcome', () => {
    const { worker, challenge, authFrame, checked } = converse(TOKEN, TOKEN);
    expect(JSON.parse(challenge)).toMatchObject({ type: 'challenge', version: CONTROL_AUTH_VERSION });
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    const welcomeFrame = JSON.stringify(checked.welcome);
    const welcome = worker.checkWelcome(welcomeFrame);
    expect(welcome).toMatchObject({ ok: true, value: { heartbeatMs: 1000, silenceMs: 30_000 } });
    for (const frame of [challenge, authFrame, welcomeFrame]) expect(frame).not.toContain(TOKEN);
  });

  it('refuses a worker with another token as badProof', () => {
    expect(converse(TOKEN, newControlToken()).checked).toEqual({ ok: false, reason: 'badProof' });
  });

  it('refuses frames that are no auth message as garbage', () => {
    const coordinator = coordinatorHandshake(TOKEN, HEARTBEAT);
    const proof = controlProof(TOKEN, 'worker', { coordinator: coordinator.challenge.nonce, worker: newNonce() });
    for (const frame of [
      '',
      'not json',
      '[]',
      'null',
      '{"type":"hello"}',
      JSON.stringify({ type: 'auth', nonce: 'short', proof }),
      JSON.stringify({ type: 'auth', nonce: newNonce(), proof: 42 }),
      JSON.stringify({ type: 'auth', nonce: newNonce() }),
    ]) {
      expect(coordinator.check(frame)).toEqual({ ok: false, reason: 'garbage' });
    }
  });

  it("refuses a worker that echoes the coordinator's nonce (a reflection of the coordinator's own proof)", () => {
    const coordinator = coordinatorHandshake(TOKEN, HEARTBEAT);
    const nonce = coordinator.challenge.nonce;
    const proof = controlProof(TOKEN, 'worker', { coordinator: nonce, worker: nonce });
    expect(coordinator.check(JSON.stringify({ type: 'auth', nonce, proof }))).toEqual({
      ok: false,
      reason: 'badProof',
    });
  });

  it('lets the worker refuse a coordinator that does not hold the token', () => {
    const impostor = coordinatorHandshake(newControlToken(), HEARTBEAT);
    const worker = workerHandshake(TOKEN);
    const auth = worker.answer(JSON.stringify(impostor.challenge));
    expect(auth.ok).toBe(true);
    // The impostor cannot check the worker's proof; even if it welcomes, its proof is not the token's.
    const nonces = { coordinator: impostor.challenge.nonce, worker: auth.ok ? auth.value.nonce : '' };
    const fake = { type: 'welcome', proof: controlProof(newControlToken(), 'coordinator', nonces), ...HEARTBEAT };
    const checked = worker.checkWelcome(JSON.stringify(fake));
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.problem).toMatch(/could not prove it holds the token/);
  });

  it('lets the worker refuse a replayed worker proof as the welcome, another version, and junk', () => {
    const coordinator = coordinatorHandshake(TOKEN, HEARTBEAT);
    const worker = workerHandshake(TOKEN);
    const auth = worker.answer(JSON.stringify(coordinator.challenge));
    if (!auth.ok) throw new Error(auth.problem);
    // The worker's own proof sent back as the coordinator's: bound to the other direction, refused.
    expect(worker.checkWelcome(JSON.stringify({ type: 'welcome', proof: auth.value.proof, ...HEARTBEAT })).ok).toBe(
      false,
    );
    expect(worker.checkWelcome('garbage').ok).toBe(false);
    const old = workerHandshake(TOKEN).answer(JSON.stringify({ ...coordinator.challenge, version: 99 }));
    expect(old.ok).toBe(false);
    if (!old.ok) expect(old.problem).toMatch(/handshake 99.*same evbridge build/);
    expect(workerHandshake(TOKEN).answer('{"type":"hello"}').ok).toBe(false);
    expect(workerHandshake(TOKEN).checkWelcome('{}').ok).toBe(false);
  });

  it('tells the kill order from anything else', () => {
    expect(isKillMessage({ type: 'kill' })).toBe(true);
    for (const raw of [null, 'kill', { type: 'shutdown' }, []]) expect(isKillMessage(raw)).toBe(false);
  });
});
