// Checks deploy/k8s offline: each overlay rendered as kustomize would, every object valid against the Kubernetes API
// schema (kubernetes-models), and the fleet's properties (hardening, one N, the token, the control channel, reports).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { OPTION_SPECS } from '../apps/coordinator/src/cli/option-specs.js';
import { parseCliArgs } from '../apps/coordinator/src/cli/options.js';
import { execForm, parseDockerfile } from './compose-config.js';
import {
  COORDINATOR_JOB,
  containerOf,
  controlChannelProblems,
  expandedArgs,
  find,
  fleetProblems,
  fleetSizeProblems,
  hardeningProblems,
  imageProblems,
  jobProblems,
  NODE_UID,
  networkPolicyProblems,
  podSpecOf,
  redisProblems,
  reportProblems,
  schemaProblems,
  tokenProblems,
  WORKER_JOB,
} from './k8s-checks.js';
import { type K8sObject, KustomizeSubsetError, renderKustomization } from './k8s-render.js';

const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const k8sDir = join(repoRoot, 'deploy/k8s');
/** The overlays users apply; each must render to a complete, valid fleet. */
const OVERLAYS = ['try-it', 'own-redis'] as const;
const render = (overlay: string, root = k8sDir): K8sObject[] => renderKustomization(join(root, 'overlays', overlay));

type Json = Record<string, unknown>;
const container = (objects: K8sObject[], job: string): Json => containerOf(find(objects, 'Job', job));
const securityContext = (objects: K8sObject[], job: string): Json => container(objects, job)['securityContext'] as Json;
const envOf = (objects: K8sObject[], job: string): Json[] => container(objects, job)['env'] as Json[];
const workerSpec = (objects: K8sObject[]): Json => find(objects, 'Job', WORKER_JOB)?.['spec'] as Json;
const setArg = (objects: K8sObject[], job: string, name: string, value: string): void => {
  const args = container(objects, job)['args'] as string[];
  const at = args.findIndex((arg) => arg.startsWith(`--${name}=`));
  args[at] = `--${name}=${value}`;
};

/** A real kustomize on this machine (kustomize, or kubectl's built-in one), to compare this renderer with. */
const realKustomize = ((): string[] | undefined => {
  for (const command of [
    ['kustomize', 'build'],
    ['kubectl', 'kustomize'],
  ]) {
    const [file = '', ...args] = command;
    const probe = spawnSync(file, [...args, '--help'], { encoding: 'utf8', timeout: 30_000 });
    if (probe.status === 0) return command;
  }
  return undefined;
})();

/** Lists of named items sorted by name, keys sorted: kustomize's strategic merge may reorder a patched list. */
const canonical = (value: unknown): unknown => {
  if (Array.isArray(value)) {
    const items = value.map(canonical);
    const named = items.every((item) => typeof item === 'object' && item !== null && 'name' in item);
    return named ? items.sort((a, b) => String((a as Json)['name']).localeCompare(String((b as Json)['name']))) : items;
  }
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, item]) => [key, canonical(item)]),
    );
  return value;
};
const byId = (objects: readonly unknown[]): Record<string, unknown> =>
  Object.fromEntries(
    objects.map((object) => {
      const typed = object as K8sObject;
      return [`${typed.kind}/${typed.metadata.name}`, canonical(object)];
    }),
  );

describe('deploy/k8s', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'evbridge-k8s-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  /** A copy of deploy/k8s to break. */
  const copyOfK8s = (name: string): string => {
    const copy = join(scratch, name);
    cpSync(k8sDir, copy, { recursive: true });
    return copy;
  };

  for (const overlay of OVERLAYS) {
    describe(`overlays/${overlay}`, () => {
      const objects = render(overlay);

      it('renders objects that the Kubernetes API schema accepts', () => {
        expect(objects.map((object) => object.kind)).toEqual(
          expect.arrayContaining(['ConfigMap', 'Job', 'Job', 'Service']),
        );
        expect(schemaProblems(objects)).toEqual([]);
      });

      it('holds every property of the fleet (hardening, one N, the token, the control channel, Redis, reports)', () => {
        expect(fleetProblems(objects)).toEqual([]);
      });

      it.skipIf(realKustomize === undefined)(
        `renders as the real kustomize does (${realKustomize?.join(' ') ?? 'none installed: skipped'})`,
        () => {
          const [file = '', ...args] = realKustomize ?? [];
          const result = spawnSync(file, [...args, join(k8sDir, 'overlays', overlay)], {
            encoding: 'utf8',
            timeout: 60_000,
          });
          expect(result.stderr).toBe('');
          expect(result.status).toBe(0);
          const real = parseAllDocuments(result.stdout).map((document) => document.toJS() as unknown);
          expect(byId(objects)).toEqual(byId(real));
        },
      );
    });
  }

  it('try-it runs the throwaway Redis; own-redis takes the user Secret and keeps the reports on a claim', () => {
    const tryIt = render('try-it');
    expect(find(tryIt, 'Deployment', 'evbridge-redis')).toBeDefined();
    expect(find(tryIt, 'Secret', 'evbridge-redis')).toBeDefined();
    const ownRedis = render('own-redis');
    expect(ownRedis.filter((object) => object.kind === 'Deployment' || object.kind === 'Secret')).toEqual([]);
    const volumes = podSpecOf(find(ownRedis, 'Job', COORDINATOR_JOB) as K8sObject)['volumes'] as Json[];
    expect(volumes.find((volume) => volume['name'] === 'reports')).toEqual({
      name: 'reports',
      persistentVolumeClaim: { claimName: 'evbridge-reports' },
    });
  });

  it('one value sets N: changing data.workers in a copy changes parallelism, completions and --expect-workers', () => {
    const copy = copyOfK8s('fleet-size');
    const fleetFile = join(copy, 'overlays/try-it/fleet.yaml');
    writeFileSync(fleetFile, readFileSync(fleetFile, 'utf8').replace(/workers: "\d+"/, 'workers: "7"'));
    const objects = render('try-it', copy);
    expect(workerSpec(objects)).toMatchObject({ parallelism: 7, completions: 7 });
    expect(expandedArgs(container(objects, COORDINATOR_JOB))).toContain('--expect-workers=7');
    expect(fleetSizeProblems(objects)).toEqual([]);
  });

  describe('each check refuses a broken copy (a check that can fail)', () => {
    const broken: Record<string, [(objects: K8sObject[]) => void, (objects: K8sObject[]) => string[], RegExp]> = {
      'a string where the schema wants an integer': [
        (o) => {
          workerSpec(o)['parallelism'] = '5';
        },
        schemaProblems,
        /parallelism must be integer/,
      ],
      'a Job without a pod template': [
        (o) => {
          delete workerSpec(o)['template'];
        },
        schemaProblems,
        /template/,
      ],
      'runAsNonRoot removed': [
        (o) => {
          delete (podSpecOf(find(o, 'Job', WORKER_JOB) as K8sObject)['securityContext'] as Json)['runAsNonRoot'];
        },
        hardeningProblems,
        /evbridge-workers container worker: runAsNonRoot/,
      ],
      'a writable root filesystem': [
        (o) => {
          securityContext(o, COORDINATOR_JOB)['readOnlyRootFilesystem'] = false;
        },
        hardeningProblems,
        /readOnlyRootFilesystem/,
      ],
      'privilege escalation allowed': [
        (o) => {
          delete securityContext(o, WORKER_JOB)['allowPrivilegeEscalation'];
        },
        hardeningProblems,
        /allowPrivilegeEscalation/,
      ],
      'capabilities kept': [
        (o) => {
          securityContext(o, WORKER_JOB)['capabilities'] = { drop: ['NET_RAW'] };
        },
        hardeningProblems,
        /drop ALL/,
      ],
      'no resource requests': [
        (o) => {
          delete (container(o, WORKER_JOB)['resources'] as Json)['requests'];
        },
        hardeningProblems,
        /no cpu request/,
      ],
      'another user than node': [
        (o) => {
          const pod = podSpecOf(find(o, 'Job', COORDINATOR_JOB) as K8sObject);
          (pod['securityContext'] as Json)['runAsUser'] = NODE_UID + 1;
        },
        imageProblems,
        /runAsUser is 1001/,
      ],
      'an image other than the placeholder': [
        (o) => {
          container(o, WORKER_JOB)['image'] = 'node:26';
        },
        imageProblems,
        /image node:26/,
      ],
      'a worker Job whose first failure ends every worker': [
        (o) => {
          workerSpec(o)['backoffLimit'] = 0;
        },
        jobProblems,
        /backoffLimit is set/,
      ],
      'a worker Job that retries an index': [
        (o) => {
          workerSpec(o)['backoffLimitPerIndex'] = 1;
        },
        jobProblems,
        /backoffLimitPerIndex is not 0/,
      ],
      'a coordinator Job that retries': [
        (o) => {
          (find(o, 'Job', COORDINATOR_JOB)?.['spec'] as Json)['backoffLimit'] = 2;
        },
        jobProblems,
        /backoffLimit/,
      ],
      'parallelism out of step with N': [
        (o) => {
          workerSpec(o)['parallelism'] = 4;
        },
        fleetSizeProblems,
        /parallelism 4 != N 5/,
      ],
      'completions out of step with N': [
        (o) => {
          workerSpec(o)['completions'] = 6;
        },
        fleetSizeProblems,
        /completions 6 != N 5/,
      ],
      'a coordinator expecting another number': [
        (o) => setArg(o, COORDINATOR_JOB, 'expect-workers', '3'),
        fleetSizeProblems,
        /--expect-workers 3 != N 5/,
      ],
      'a worker Job that is not Indexed': [
        (o) => {
          workerSpec(o)['completionMode'] = 'NonIndexed';
        },
        fleetSizeProblems,
        /Indexed/,
      ],
      'a literal token': [
        (o) => {
          const token = envOf(o, WORKER_JOB).find((entry) => entry['name'] === 'EVBRIDGE_TOKEN') as Json;
          delete token['valueFrom'];
          token['value'] = 'not-a-secret';
        },
        tokenProblems,
        /EVBRIDGE_TOKEN is a literal/,
      ],
      'a token as an argument': [
        (o) => {
          (container(o, COORDINATOR_JOB)['args'] as string[]).push('--token=abc');
        },
        tokenProblems,
        /--token=abc in args/,
      ],
      'a committed token Secret': [
        (o) => {
          o.push({
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: { name: 'evbridge-token' },
            stringData: { token: 'x' },
          });
        },
        tokenProblems,
        /no token is committed/,
      ],
      'a Service that selects the workers': [
        (o) => {
          const selector = (find(o, 'Service', COORDINATOR_JOB) as K8sObject & { spec: Json }).spec['selector'] as Json;
          selector['app.kubernetes.io/component'] = 'worker';
        },
        controlChannelProblems,
        /does not select the coordinator's pod/,
      ],
      'a coordinator listening on another port': [
        (o) => setArg(o, COORDINATOR_JOB, 'listen', '0.0.0.0:7401'),
        controlChannelProblems,
        /not the port of --listen 0.0.0.0:7401/,
      ],
      'workers dialling another host': [
        (o) => setArg(o, WORKER_JOB, 'coordinator', 'ws://coordinator:7400'),
        controlChannelProblems,
        /does not name Service\/evbridge-coordinator/,
      ],
      'workers dialling another port': [
        (o) => setArg(o, WORKER_JOB, 'coordinator', 'ws://evbridge-coordinator:80'),
        controlChannelProblems,
        /does not use the Service's port 7400/,
      ],
      'a control port open to every pod': [
        (o) => {
          const rule = (
            (find(o, 'NetworkPolicy', COORDINATOR_JOB) as K8sObject & { spec: Json }).spec['ingress'] as Json[]
          )[0] as Json;
          rule['from'] = [{ podSelector: {} }];
        },
        networkPolicyProblems,
        /admits others than the worker pods/,
      ],
      'a Redis URL given as a literal': [
        (o) => {
          const url = envOf(o, COORDINATOR_JOB).find((entry) => entry['name'] === 'REDIS_URL') as Json;
          delete url['valueFrom'];
          url['value'] = 'redis://evbridge-redis:6379';
        },
        redisProblems,
        /REDIS_URL does not come from Secret/,
      ],
      'a Redis Secret naming no Service': [
        (o) => {
          (find(o, 'Secret', 'evbridge-redis')?.['stringData'] as Json)['url'] = 'redis://redis:6379';
        },
        redisProblems,
        /does not name a Service/,
      ],
      'a report written off the reports volume': [
        (o) => setArg(o, COORDINATOR_JOB, 'json', '/app/report.json'),
        reportProblems,
        /--json \/app\/report.json is not on a reports volume/,
      ],
    };
    for (const [what, [breakIt, check, expected]] of Object.entries(broken)) {
      it(what, () => {
        const objects = render('try-it');
        expect(check(objects)).toEqual([]);
        breakIt(objects);
        expect(check(objects).join('\n')).toMatch(expected);
      });
    }
  });

  describe('the renderer refuses what it does not implement', () => {
    it('a kustomization field outside its subset', () => {
      const copy = copyOfK8s('unsupported-field');
      const file = join(copy, 'overlays/try-it/kustomization.yaml');
      writeFileSync(file, `${readFileSync(file, 'utf8')}namePrefix: test-\n`);
      expect(() => render('try-it', copy)).toThrow(KustomizeSubsetError);
      expect(() => render('try-it', copy)).toThrow(/"namePrefix", which test\/k8s-render.ts does not implement/);
    });

    it('a replacement into a field that does not exist', () => {
      const copy = copyOfK8s('missing-field');
      const file = join(copy, 'components/fleet-size/kustomization.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('spec.completions', 'spec.completion'));
      expect(() => render('try-it', copy)).toThrow(/spec.completion has no field completion/);
    });

    it('an object defined twice', () => {
      const copy = copyOfK8s('twice');
      const file = join(copy, 'overlays/own-redis/kustomization.yaml');
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace('  - fleet.yaml\n', '  - fleet.yaml\n  - ../try-it/fleet.yaml\n'),
      );
      expect(() => render('own-redis', copy)).toThrow(/ConfigMap\/evbridge-fleet is defined twice/);
    });

    it('sets the image as `kustomize edit set image` writes it', () => {
      const copy = copyOfK8s('image');
      const file = join(copy, 'overlays/try-it/kustomization.yaml');
      writeFileSync(
        file,
        `${readFileSync(file, 'utf8')}images:\n  - name: evbridge\n    newName: registry.example/evbridge\n    newTag: "1.2"\n`,
      );
      const objects = render('try-it', copy);
      expect([COORDINATOR_JOB, WORKER_JOB].map((job) => container(objects, job)['image'])).toEqual([
        'registry.example/evbridge:1.2',
        'registry.example/evbridge:1.2',
      ]);
      expect(containerOf(find(objects, 'Deployment', 'evbridge-redis'))['image']).toBe('redis:7-alpine');
    });
  });

  describe('the image', () => {
    const dockerfile = parseDockerfile(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8'));
    const last = (keyword: string) => dockerfile.filter((instruction) => instruction.keyword === keyword).at(-1)?.args;

    it("is the Dockerfile's: WORKDIR /app, user node (uid 1000 in the node image)", () => {
      expect(last('WORKDIR')).toBe('/app');
      expect(last('USER')).toBe('node');
      expect(last('FROM')).toMatch(/^node:/);
      expect(execForm(last('CMD') ?? '')).toBeDefined();
    });

    // The build turns apps/X/src/Y.ts into apps/X/dist/Y.js (tsc -b, outDir dist). apps/worker/src/remote-main.ts comes
    // from another branch of issue 13: until it is merged here, the worker's command is held to the contract's path.
    const WORKER_CONTRACT = ['node', 'apps/worker/dist/remote-main.js'];
    const sourceOf = (path: string): string => path.replace('/dist/', '/src/').replace(/\.js$/, '.ts');
    const workerSourceMissing = !existsSync(join(repoRoot, sourceOf(WORKER_CONTRACT[1] ?? '')));

    it('runs the coordinator from a path the build produces', () => {
      const command = container(render('try-it'), COORDINATOR_JOB)['command'] as string[];
      expect(command[0]).toBe('node');
      expect(existsSync(join(repoRoot, sourceOf(command[1] ?? '')))).toBe(true);
    });

    it(`runs the worker as the contract says${workerSourceMissing ? ' (waits for apps/worker/src/remote-main.ts)' : ''}`, () => {
      const command = container(render('try-it'), WORKER_JOB)['command'] as string[];
      expect(command).toEqual(WORKER_CONTRACT);
      if (!workerSourceMissing) expect(existsSync(join(repoRoot, sourceOf(command[1] ?? '')))).toBe(true);
    });
  });

  // --listen and --expect-workers come from another branch of issue 13; until it is merged here, this one waits.
  const pending = ['listen', 'expect-workers', 'arrival-timeout'].filter(
    (name) => !OPTION_SPECS.some((spec) => spec.name === name),
  );
  it.skipIf(pending.length > 0)(
    `the harness accepts the coordinator's command line (waits for: ${pending.join(', ') || 'nothing'})`,
    () => {
      const args = expandedArgs(container(render('try-it'), COORDINATOR_JOB));
      const parsed = parseCliArgs(args, { EVBRIDGE_TOKEN: 'x'.repeat(43), REDIS_URL: 'redis://evbridge-redis:6379' });
      if (parsed.kind !== 'run') throw new Error(`the harness refuses ${args.join(' ')}: ${JSON.stringify(parsed)}`);
    },
  );
});
