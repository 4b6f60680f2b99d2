// The options of a run with remote workers (--listen, --expect-workers, ...) and how --procs reads beside them,
// checked against each other and the rest of the run: each refusal one line naming the fix.
import { isIP } from 'node:net';
import { HARNESS_DEFAULTS, HARNESS_LIMITS } from '../config/defaults.js';
import type { HarnessOptions, ListenAddress } from '../config/harness-options.js';
import { parseFailure, parsedValue, type Parsed } from '../config/parsed.js';
import type { GivenOptions } from '../command-line/given-options.js';
import { OptionError } from '../command-line/option-reader.js';
import * as values from '../command-line/option-values.js';
import { isLoopback } from '../config/loopback.js';
import type { OptionName } from './option-specs.js';

type Given = GivenOptions<OptionName>;

export type RemoteOptions = Pick<
  HarnessOptions,
  'procs' | 'listen' | 'expectWorkers' | 'arrivalTimeoutMs' | 'tokenFile' | 'tls' | 'redisBind'
>;

/** Options that only mean something with --listen. */
const LISTEN_ONLY: readonly OptionName[] = ['expect-workers', 'arrival-timeout', 'token-file', 'tls-cert', 'tls-key'];
/** Options that cannot run with remote workers, and why. */
const NOT_WITH_LISTEN: ReadonlyArray<readonly [OptionName, string]> = [
  ['find-max', 'it runs many steps, and a remote worker serves one run'],
  ['compare-modes', 'it runs the instances as threads of this process too'],
  ['conformance', 'it checks a driver in local processes'],
];

/** --procs, --listen and the rest; `redisUrl` is the run's Redis (undefined: the private redis-server). */
export function takeRemote(given: Given, redisUrl: string | undefined): RemoteOptions {
  const redisBind = takeRedisBind(given, redisUrl);
  const listen = given.take('listen', listenAddress);
  if (listen === undefined) {
    const stray = LISTEN_ONLY.find((name) => given.has(name));
    if (stray !== undefined) {
      throw new OptionError(
        `--${stray} applies only with --listen (remote workers); add --listen HOST:PORT or drop --${stray}`,
      );
    }
    return { procs: given.take('procs', values.instanceCount) ?? HARNESS_DEFAULTS.procs, ...redisBind };
  }
  for (const [name, why] of NOT_WITH_LISTEN) {
    if (given.has(name)) throw new OptionError(`--${name} does not apply with --listen: ${why}; drop one of them`);
  }
  if (given.take('mode', values.mode) === 'threads') {
    throw new OptionError(
      '--listen drives worker processes on other hosts, and --mode=threads runs instances as threads of this one; drop one of them',
    );
  }
  const expectWorkers = given.take('expect-workers', (v) => values.integerInRange(v, 1, HARNESS_LIMITS.procsMax));
  if (expectWorkers === undefined) {
    throw new OptionError('--listen waits for remote workers: say how many with --expect-workers N');
  }
  const local = given.take('procs', (v) => values.integerInRange(v, 0, HARNESS_LIMITS.procsMax)) ?? 0;
  const procs = local + expectWorkers;
  if (procs < HARNESS_LIMITS.procsMin || procs > HARNESS_LIMITS.procsMax) {
    throw new OptionError(
      `--procs ${local} local plus --expect-workers ${expectWorkers} remote make ${procs} instances; a run needs ${HARNESS_LIMITS.procsMin} to ${HARNESS_LIMITS.procsMax}`,
    );
  }
  const certFile = given.take('tls-cert', values.filePath);
  const keyFile = given.take('tls-key', values.filePath);
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new OptionError('--tls-cert and --tls-key go together (a certificate and its key); give both or neither');
  }
  // Remote workers must reach the private redis-server: on loopback only this host can.
  const bind = redisBind.redisBind ?? HARNESS_DEFAULTS.redisBind;
  if (redisUrl === undefined && !isLoopback(listen.host) && isLoopback(bind)) {
    throw new OptionError(
      `remote workers cannot reach the private redis-server on ${bind}: give --redis-bind ADDRESS (an address of this host they reach) or --redis URL (a Redis they reach)`,
    );
  }
  return {
    procs,
    listen,
    expectWorkers,
    arrivalTimeoutMs:
      given.take('arrival-timeout', (v) => values.durationInRange(v, 1, HARNESS_LIMITS.durationMsMax)) ??
      HARNESS_DEFAULTS.arrivalTimeoutMs,
    ...(given.has('token-file') ? { tokenFile: given.take('token-file', values.filePath) } : {}),
    ...(certFile !== undefined && keyFile !== undefined ? { tls: { certFile, keyFile } } : {}),
    ...redisBind,
  };
}

function takeRedisBind(given: Given, redisUrl: string | undefined): Pick<HarnessOptions, 'redisBind'> {
  const bind = given.take('redis-bind', bindAddress);
  if (bind === undefined) return {};
  if (redisUrl !== undefined) {
    throw new OptionError(
      '--redis-bind sets where the private redis-server listens, and this run uses the Redis of --redis or REDIS_URL; drop one of them',
    );
  }
  return { redisBind: bind };
}

/** HOST:PORT, [IPv6]:PORT; the host an IP address or a name, the port 0..65535. */
export function listenAddress(raw: string): Parsed<ListenAddress> {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(raw.trim());
  if (match === null) return parseFailure('not HOST:PORT');
  const host = (match[1] ?? match[2]) as string;
  const port = Number(match[3]);
  if (port > 65_535) return parseFailure('the port is above 65535');
  if (match[1] !== undefined && isIP(host) !== 6) return parseFailure('the address in brackets is not IPv6');
  return parsedValue({ host, port });
}

/** A concrete IP address (not a wildcard: it goes into the URL workers connect to). */
function bindAddress(raw: string): Parsed<string> {
  const address = raw.trim();
  if (isIP(address) === 0) return parseFailure('not an IP address');
  if (address === '0.0.0.0' || address === '::') {
    return parseFailure('a wildcard is no address a worker can connect to; give one of this host');
  }
  return parsedValue(address);
}
