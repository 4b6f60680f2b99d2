// Checks the delivery files: docker-compose.yml (through a real Compose CLI), the Dockerfile, .dockerignore and pinned tool versions.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  asObject,
  containsRun,
  copySources,
  execForm,
  findComposeCli,
  loadComposeConfig,
  parseDockerfile,
  type ComposeCli,
  type ComposeResult,
  type DockerInstruction,
  volumeTargets,
  words,
} from './compose-config.js';

const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const composeFile = join(repoRoot, 'docker-compose.yml');
const dockerfilePath = join(repoRoot, 'Dockerfile');
const readRepoFile = (path: string): string => readFileSync(join(repoRoot, path), 'utf8');

/** The reports the harness service writes into ./reports, by the option that writes each. */
const REPORT_FILES = { json: 'report.json', html: 'report.html', junit: 'report.xml', 'summary-md': 'summary.md' };

type Json = Record<string, unknown>;

const packageManagerVersion = (): string => {
  const manifest = JSON.parse(readRepoFile('package.json')) as { packageManager?: string };
  const match = /^pnpm@(\d+\.\d+\.\d+)/.exec(manifest.packageManager ?? '');
  if (match?.[1] === undefined) throw new Error('package.json "packageManager" should pin pnpm, e.g. "pnpm@12.4.2"');
  return match[1];
};

// Loaded once, on first use: every test that reads the config fails with the CLI's own message when it rejects the file.
let loaded: { cli: ComposeCli; result: ComposeResult } | undefined;
const composeCli = (): ComposeCli => {
  loaded ??= (() => {
    const cli = findComposeCli();
    return { cli, result: loadComposeConfig(cli, composeFile) };
  })();
  return loaded.cli;
};
const services = (): Json => {
  const cli = composeCli();
  const result = loaded?.result;
  if (result?.status !== 'valid') {
    throw new Error(
      `${cli.command.join(' ')} ${cli.version} rejects docker-compose.yml:\n${result?.message ?? 'no result'}`,
    );
  }
  return asObject(result.config['services'], 'services');
};
const service = (name: string): Json => asObject(services()[name], `services.${name}`);

describe('docker-compose.yml', () => {
  it('is accepted by the Compose CLI', () => {
    expect(Object.keys(services())).toEqual(expect.arrayContaining(['redis', 'harness']));
  });

  describe('the validator', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'evbridge-compose-'));
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    it('accepts an unchanged copy and rejects a copy with a bad depends_on condition', () => {
      const original = readFileSync(composeFile, 'utf8');
      expect(original).toContain('condition: service_healthy');
      const copy = join(scratch, 'docker-compose.yml');
      writeFileSync(copy, original);
      expect(loadComposeConfig(composeCli(), copy).status).toBe('valid');

      writeFileSync(copy, original.replace('condition: service_healthy', 'condition: when_ready'));
      const broken = loadComposeConfig(composeCli(), copy);
      expect(broken.status).toBe('invalid');
      if (broken.status === 'invalid') expect(broken.message).toMatch(/condition|when_ready/);
    });

    it('rejects a copy with an unknown service key', () => {
      const copy = join(scratch, 'docker-compose.yml');
      writeFileSync(copy, readFileSync(composeFile, 'utf8').replace(/^(\s+)image: redis/m, '$1imagee: redis'));
      expect(loadComposeConfig(composeCli(), copy).status).toBe('invalid');
    });
  });

  it('runs redis from redis:7 with a redis-cli ping healthcheck', () => {
    const redis = service('redis');
    expect(String(redis['image'])).toMatch(/^redis:7(\.|-|$)/);
    const healthcheck = asObject(redis['healthcheck'], 'services.redis.healthcheck');
    expect(containsRun(words(healthcheck['test']), ['redis-cli', 'ping'])).toBe(true);
  });

  it('builds the harness from the repo Dockerfile and starts it only once redis is healthy', () => {
    const harness = service('harness');
    const build = asObject(harness['build'], 'services.harness.build');
    expect(resolve(repoRoot, String(build['context']))).toBe(repoRoot);
    expect(build['dockerfile'] ?? 'Dockerfile').toBe('Dockerfile');
    const dependsOn = asObject(harness['depends_on'], 'services.harness.depends_on');
    expect(asObject(dependsOn['redis'], 'depends_on.redis')['condition']).toBe('service_healthy');
  });

  it('points REDIS_URL at the redis service', () => {
    const harness = service('harness');
    const environment = asObject(harness['environment'], 'services.harness.environment');
    const url = new URL(String(environment['REDIS_URL']));
    expect(url.protocol).toBe('redis:');
    expect(url.hostname).toBe('redis');
    expect(url.port === '' ? '6379' : url.port).toBe('6379');
  });

  it('runs `pnpm harness` and writes its JSON, HTML, JUnit and Markdown reports into the mounted ./reports', () => {
    const harness = service('harness');
    const command = words(harness['command']);
    expect(containsRun(command, ['pnpm', 'harness'])).toBe(true);
    const reportsMount = volumeTargets(harness['volumes']).find(
      (volume) => resolve(repoRoot, volume.source) === join(repoRoot, 'reports'),
    );
    expect(reportsMount, 'harness should mount ./reports').toBeDefined();
    const target = reportsMount?.target ?? '(no mount)';
    const written = Object.fromEntries(
      Object.keys(REPORT_FILES).map((option) => {
        const at = command.indexOf(`--${option}`);
        return [option, at < 0 ? undefined : command[at + 1]];
      }),
    );
    const expected = Object.fromEntries(
      Object.entries(REPORT_FILES).map(([option, file]) => [option, posix.join(target, file)]),
    );
    expect(written).toEqual(expected);
  });
});

describe('Dockerfile', () => {
  const instructions: DockerInstruction[] = existsSync(dockerfilePath)
    ? parseDockerfile(readFileSync(dockerfilePath, 'utf8'))
    : [];
  const of = (keyword: string) => instructions.filter((instruction) => instruction.keyword === keyword);

  it('exists', () => {
    expect(existsSync(dockerfilePath)).toBe(true);
    expect(instructions.length).toBeGreaterThan(0);
  });

  it('runs as a non-root user', () => {
    const user = of('USER').at(-1)?.args.split(':')[0];
    expect(user, 'the Dockerfile needs a USER instruction').toBeDefined();
    expect(['root', '0']).not.toContain(user);
  });

  it('installs the pnpm version pinned in package.json and installs with the frozen lockfile', () => {
    const runs = of('RUN').map((instruction) => instruction.args);
    expect(runs.some((args) => args.includes(`pnpm@${packageManagerVersion()}`))).toBe(true);
    expect(runs.some((args) => /pnpm install\b.*--frozen-lockfile/.test(args))).toBe(true);
  });

  it('copies every workspace manifest before the frozen install', () => {
    const installAt = instructions.findIndex(
      (instruction) => instruction.keyword === 'RUN' && instruction.args.includes('--frozen-lockfile'),
    );
    const copiedBefore = instructions
      .slice(0, installAt)
      .filter((instruction) => instruction.keyword === 'COPY')
      .flatMap((instruction) => copySources(instruction.args));
    const manifests = ['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml'];
    for (const group of ['apps', 'packages']) {
      for (const entry of readdirSync(join(repoRoot, group), { withFileTypes: true })) {
        if (entry.isDirectory() && existsSync(join(repoRoot, group, entry.name, 'package.json')))
          manifests.push(`${group}/${entry.name}/package.json`);
      }
    }
    expect(copiedBefore).toEqual(expect.arrayContaining(manifests));
  });

  it('copies only paths that exist in the repo', () => {
    const sources = of('COPY')
      .concat(of('ADD'))
      .flatMap((instruction) => copySources(instruction.args));
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.filter((source) => !existsSync(join(repoRoot, source)))).toEqual([]);
  });

  it('starts `pnpm harness` by default', () => {
    const startup = [...of('ENTRYPOINT'), ...of('CMD')].flatMap(
      (instruction) => execForm(instruction.args) ?? words(instruction.args),
    );
    expect(containsRun(startup, ['pnpm', 'harness'])).toBe(true);
  });
});

describe('.dockerignore', () => {
  it('keeps dependencies, build output, git history and reports out of the build context', () => {
    const patterns = readRepoFile('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    for (const required of ['node_modules', 'dist', '.git', 'reports']) {
      expect(
        patterns.some((pattern) => pattern === required || pattern === `**/${required}`),
        `.dockerignore should exclude ${required}`,
      ).toBe(true);
    }
  });
});

describe('pinned tools', () => {
  it('.ci/run and the CI workflow install the pnpm version pinned in package.json', () => {
    const version = packageManagerVersion();
    expect(readRepoFile('.ci/run')).toContain(version);
    expect(readRepoFile('.github/workflows/ci.yml')).toContain(version);
  });
});
