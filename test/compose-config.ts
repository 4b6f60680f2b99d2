// Loads docker-compose.yml through a real Compose CLI (validating it) and reads the Dockerfile, for test/compose.test.ts.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

export type ComposeCli = {
  /** How the CLI is invoked, e.g. ['docker', 'compose'] or ['docker-compose']. */
  readonly command: readonly string[];
  readonly kind: 'compose-v2' | 'compose-v1';
  readonly version: string;
};

export type ComposeResult =
  | { readonly status: 'valid'; readonly config: Record<string, unknown> }
  | { readonly status: 'invalid'; readonly message: string };

export type DockerInstruction = { readonly keyword: string; readonly args: string; readonly line: number };

export const INSTALL_HINT =
  'No Compose CLI found to validate docker-compose.yml. Install one: on Debian/Ubuntu ' +
  '`sudo apt-get install -y --no-install-recommends docker-compose` (what .ci/run does), ' +
  "or Docker's compose plugin so that `docker compose version` works. No Docker engine is needed.";

const run = (file: string, args: readonly string[], input?: string, env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(file, args, {
    encoding: 'utf8',
    input,
    timeout: 60_000,
    env: { ...env, COMPOSE_INTERACTIVE_NO_CLI: '1' },
  });

/** What `config` runs with: the profiles to enable and the environment Compose interpolates from. */
export type ComposeLoadOptions = { readonly profiles?: readonly string[]; readonly env?: NodeJS.ProcessEnv };

const findOnPath = (name: string): string | undefined => {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
};

/** Finds the most faithful Compose CLI on this machine: the v2 plugin, a standalone v2, then Debian's v1. */
export const findComposeCli = (): ComposeCli => {
  if (findOnPath('docker') !== undefined) {
    const plugin = run('docker', ['compose', 'version', '--short']);
    if (plugin.status === 0)
      return { command: ['docker', 'compose'], kind: 'compose-v2', version: plugin.stdout.trim() };
  }
  if (findOnPath('docker-compose') !== undefined) {
    const standalone = run('docker-compose', ['version']);
    const text = `${standalone.stdout}${standalone.stderr}`;
    if (standalone.status === 0) {
      const v1 = /docker-compose version (1\.\d+\.\d+)/.exec(text);
      if (v1?.[1] !== undefined) return { command: ['docker-compose'], kind: 'compose-v1', version: v1[1] };
      const v2 = /v?(2\.\d+\.\d+)/.exec(text);
      if (v2?.[1] !== undefined) return { command: ['docker-compose'], kind: 'compose-v2', version: v2[1] };
    }
  }
  throw new Error(INSTALL_HINT);
};

/** The Python that runs Debian's docker-compose v1 (its shebang); it always has PyYAML, a dependency of v1. */
const v1Python = (): string[] => {
  const script = findOnPath('docker-compose');
  if (script === undefined) throw new Error(INSTALL_HINT);
  const firstLine = readFileSync(script, 'utf8').split('\n', 1)[0] ?? '';
  if (!firstLine.startsWith('#!')) {
    throw new Error(`${script} is not a Python script; install a Compose CLI with JSON output (docker compose v2).`);
  }
  return firstLine.slice(2).trim().split(/\s+/);
};

/** Validates a compose file with the CLI and returns its normalised configuration as JSON. */
export const loadComposeConfig = (
  cli: ComposeCli,
  composeFile: string,
  options: ComposeLoadOptions = {},
): ComposeResult => {
  const [file, ...prefix] = cli.command;
  if (file === undefined) throw new TypeError('cli.command must name an executable');
  const projectArgs = [
    '-f',
    composeFile,
    '--project-directory',
    dirname(composeFile),
    ...(options.profiles ?? []).flatMap((profile) => ['--profile', profile]),
  ];
  const args =
    cli.kind === 'compose-v2'
      ? [...prefix, ...projectArgs, 'config', '--format', 'json']
      : [...prefix, ...projectArgs, 'config'];
  const result = run(file, args, undefined, options.env);
  if (result.error !== undefined)
    throw new Error(`Could not run ${cli.command.join(' ')}: ${result.error.message}`, { cause: result.error });
  if (result.status !== 0) return { status: 'invalid', message: `${result.stderr}${result.stdout}`.trim() };
  if (cli.kind === 'compose-v2')
    return { status: 'valid', config: JSON.parse(result.stdout) as Record<string, unknown> };

  const [python, ...pythonArgs] = v1Python();
  if (python === undefined) throw new Error('docker-compose has an empty shebang line');
  const toJson = 'import sys, json, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)';
  const converted = run(python, [...pythonArgs, '-c', toJson], result.stdout);
  if (converted.status !== 0) {
    throw new Error(`Could not turn docker-compose's normalised YAML into JSON with ${python}: ${converted.stderr}`);
  }
  return { status: 'valid', config: JSON.parse(converted.stdout) as Record<string, unknown> };
};

type Json = Record<string, unknown>;

/** A mapping from Compose's normalised config, or an error naming what was expected. */
export const asObject = (value: unknown, what: string): Json => {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`${what} should be a mapping, got ${JSON.stringify(value)}`);
  return value as Json;
};

/** Compose v1 and v2 normalise a command/test to a list or keep a string; compare as a list of words. */
export const words = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') return value.split(/\s+/).filter((word) => word !== '');
  return [];
};

export const containsRun = (haystack: readonly string[], needle: readonly string[]): boolean =>
  haystack.some((_, start) => needle.every((word, offset) => haystack[start + offset] === word));

/** Compose v1 prints `/abs/src:/target:rw`, v2 prints `{ type, source, target }`. */
export const volumeTargets = (volumes: unknown): { source: string; target: string }[] =>
  (Array.isArray(volumes) ? volumes : []).map((volume) => {
    if (typeof volume === 'string') {
      const [source = '', target = ''] = volume.split(':');
      return { source, target };
    }
    const long = asObject(volume, 'a volume');
    return { source: String(long['source'] ?? ''), target: String(long['target'] ?? '') };
  });

/** Splits a Dockerfile into instructions, joining `\` continuations and dropping comments. */
export const parseDockerfile = (text: string): DockerInstruction[] => {
  const instructions: DockerInstruction[] = [];
  let pending = '';
  let startLine = 0;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trimEnd();
    if (pending === '' && (line.trim() === '' || line.trimStart().startsWith('#'))) return;
    if (pending !== '' && line.trimStart().startsWith('#')) return;
    if (pending === '') startLine = index + 1;
    const continued = line.endsWith('\\');
    pending += `${continued ? line.slice(0, -1) : line} `;
    if (continued) return;
    const match = /^\s*(\S+)\s*(.*?)\s*$/.exec(pending);
    if (match?.[1] !== undefined)
      instructions.push({ keyword: match[1].toUpperCase(), args: match[2] ?? '', line: startLine });
    pending = '';
  });
  return instructions;
};

/** The argument list of an exec-form (JSON array) instruction, or undefined for shell form. */
export const execForm = (args: string): string[] | undefined => {
  if (!args.startsWith('[')) return undefined;
  const parsed: unknown = JSON.parse(args);
  return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string') ? parsed : undefined;
};

/** Source paths of a COPY/ADD instruction (flags such as --chown dropped; none for COPY --from=stage). */
export const copySources = (args: string): string[] => {
  const words = execForm(args) ?? args.split(/\s+/).filter((word) => word !== '');
  const flags = words.filter((word) => word.startsWith('--'));
  if (flags.some((flag) => flag.startsWith('--from='))) return [];
  const paths = words.filter((word) => !word.startsWith('--'));
  return paths.slice(0, -1);
};
