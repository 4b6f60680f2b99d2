// What a rendered deploy/k8s fleet must hold, for test/k8s.test.ts: each check returns its problems, one line each.
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { containersOf, type K8sObject } from './k8s-render.js';

type Json = Record<string, unknown>;

/** The models of every kind deploy/k8s may render; another kind is a problem until its model is added here. */
const MODELS: Record<string, (object: K8sObject) => { validate(): void }> = {
  'v1/ConfigMap': (object) => new ConfigMap(object as never),
  'v1/Secret': (object) => new Secret(object as never),
  'v1/Service': (object) => new Service(object as never),
  'v1/PersistentVolumeClaim': (object) => new PersistentVolumeClaim(object as never),
  'apps/v1/Deployment': (object) => new Deployment(object as never),
  'batch/v1/Job': (object) => new Job(object as never),
  'networking.k8s.io/v1/NetworkPolicy': (object) => new NetworkPolicy(object as never),
};

export const COORDINATOR_JOB = 'evbridge-coordinator';
export const WORKER_JOB = 'evbridge-workers';
export const FLEET_CONFIG = 'evbridge-fleet';
export const TOKEN_SECRET = { name: 'evbridge-token', key: 'token' };
export const REDIS_SECRET = { name: 'evbridge-redis', key: 'url' };
/** The image users build from the Dockerfile and set with `kustomize edit set image`. */
export const IMAGE_PLACEHOLDER = 'evbridge:latest';
/** The `node` user of the node image the Dockerfile starts from. */
export const NODE_UID = 1000;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const at = (value: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>((node, key) => (isObject(node) || Array.isArray(node) ? (node as Json)[key] : undefined), value);

export const find = (objects: readonly K8sObject[], kind: string, name: string): K8sObject | undefined =>
  objects.find((object) => object.kind === kind && object.metadata.name === name);

/** Each object against the Kubernetes API schema (kubernetes-models' validators), one line per refused object. */
export const schemaProblems = (objects: readonly K8sObject[]): string[] =>
  objects.flatMap((object) => {
    const model = MODELS[`${object.apiVersion}/${object.kind}`];
    if (model === undefined) return [`${object.apiVersion} ${object.kind} has no model in test/k8s-checks.ts`];
    try {
      model(object).validate();
      return [];
    } catch (error) {
      return [`${object.kind}/${object.metadata.name}: ${(error as Error).message}`];
    }
  });

export const podSpecOf = (object: K8sObject): Json => {
  const spec = at(object, 'spec', 'template', 'spec');
  return isObject(spec) ? spec : {};
};

/** The one container of a Job or Deployment (these manifests run one per pod). */
export const containerOf = (object: K8sObject | undefined): Json =>
  object === undefined ? {} : (containersOf(object)[0] ?? {});

/** A container's args with $(VAR) expanded from its literal env values, as the kubelet does. */
export const expandedArgs = (container: Json): string[] => {
  const env = Array.isArray(container['env']) ? (container['env'] as Json[]) : [];
  const values = new Map(
    env.flatMap((entry) => (typeof entry['value'] === 'string' ? [[entry['name'], entry['value']]] : [])),
  );
  const args = Array.isArray(container['args']) ? container['args'].map(String) : [];
  return args.map((arg) => arg.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name) => values.get(name) ?? whole));
};

/** `--name value` or `--name=value`. */
export const optionValue = (args: readonly string[], name: string): string | undefined => {
  const index = args.indexOf(`--${name}`);
  if (index >= 0) return args[index + 1];
  return args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
};

/** Pod hardening: non-root, read-only root, no privilege escalation, no capabilities, requests and a memory limit. */
export const hardeningProblems = (objects: readonly K8sObject[]): string[] =>
  objects
    .filter((object) => containersOf(object).length > 0)
    .flatMap((object) => {
      const pod = podSpecOf(object);
      const id = `${object.kind}/${object.metadata.name}`;
      return containersOf(object).flatMap((container) => {
        const where = `${id} container ${String(container['name'])}`;
        const security = (field: string): unknown =>
          at(container, 'securityContext', field) ?? at(pod, 'securityContext', field);
        const problems: string[] = [];
        if (security('runAsNonRoot') !== true) problems.push(`${where}: runAsNonRoot is not true`);
        if (typeof security('runAsUser') !== 'number' || security('runAsUser') === 0)
          problems.push(`${where}: runAsUser is not a non-zero uid`);
        if (at(container, 'securityContext', 'readOnlyRootFilesystem') !== true)
          problems.push(`${where}: readOnlyRootFilesystem is not true`);
        if (at(container, 'securityContext', 'allowPrivilegeEscalation') !== false)
          problems.push(`${where}: allowPrivilegeEscalation is not false`);
        const dropped = at(container, 'securityContext', 'capabilities', 'drop');
        if (!Array.isArray(dropped) || !dropped.includes('ALL'))
          problems.push(`${where}: capabilities do not drop ALL`);
        for (const resource of ['cpu', 'memory'])
          if (at(container, 'resources', 'requests', resource) === undefined)
            problems.push(`${where}: no ${resource} request`);
        if (at(container, 'resources', 'limits', 'memory') === undefined) problems.push(`${where}: no memory limit`);
        if (pod['automountServiceAccountToken'] !== false)
          problems.push(`${id}: automountServiceAccountToken is not false (the pods need no API access)`);
        return problems;
      });
    });

/** Both evbridge containers: the project image as user node, its WORKDIR, a writable /tmp from an emptyDir. */
export const imageProblems = (objects: readonly K8sObject[]): string[] =>
  [COORDINATOR_JOB, WORKER_JOB].flatMap((name) => {
    const job = find(objects, 'Job', name);
    const container = containerOf(job);
    const problems: string[] = [];
    if (container['image'] !== IMAGE_PLACEHOLDER)
      problems.push(`Job/${name}: image ${String(container['image'])} is not the placeholder ${IMAGE_PLACEHOLDER}`);
    if (container['workingDir'] !== '/app') problems.push(`Job/${name}: workingDir is not /app (the image's WORKDIR)`);
    const uid =
      at(container, 'securityContext', 'runAsUser') ?? at(job && podSpecOf(job), 'securityContext', 'runAsUser');
    if (uid !== NODE_UID) problems.push(`Job/${name}: runAsUser is ${String(uid)}, not ${NODE_UID} (node)`);
    const tmpMount = (Array.isArray(container['volumeMounts']) ? (container['volumeMounts'] as Json[]) : []).find(
      (mount) => mount['mountPath'] === '/tmp',
    );
    const volumes = job === undefined ? [] : ((podSpecOf(job)['volumes'] as Json[] | undefined) ?? []);
    const tmpVolume = volumes.find((volume) => volume['name'] === tmpMount?.['name']);
    if (tmpVolume?.['emptyDir'] === undefined) problems.push(`Job/${name}: /tmp is not an emptyDir`);
    return problems;
  });

/** Jobs that a retry would corrupt: no retries, a deadline, and cleaned up after a while. */
export const jobProblems = (objects: readonly K8sObject[]): string[] =>
  [COORDINATOR_JOB, WORKER_JOB].flatMap((name) => {
    const spec = at(find(objects, 'Job', name), 'spec');
    const problems: string[] = [];
    // The workers fail per index: one worker's failure must not end the Job and kill the others.
    if (name === WORKER_JOB) {
      if (at(spec, 'backoffLimitPerIndex') !== 0) problems.push(`Job/${name}: backoffLimitPerIndex is not 0`);
      if (at(spec, 'backoffLimit') !== undefined)
        problems.push(`Job/${name}: backoffLimit is set (one failure would end every worker)`);
    } else if (at(spec, 'backoffLimit') !== 0) problems.push(`Job/${name}: backoffLimit is not 0`);
    if (typeof at(spec, 'activeDeadlineSeconds') !== 'number') problems.push(`Job/${name}: no activeDeadlineSeconds`);
    if (typeof at(spec, 'ttlSecondsAfterFinished') !== 'number')
      problems.push(`Job/${name}: no ttlSecondsAfterFinished`);
    if (at(spec, 'template', 'spec', 'restartPolicy') !== 'Never')
      problems.push(`Job/${name}: restartPolicy is not Never`);
    return problems;
  });

/** The one value N: ConfigMap data.workers = parallelism = completions = the coordinator's --expect-workers. */
export const fleetSizeProblems = (objects: readonly K8sObject[]): string[] => {
  const workers = at(find(objects, 'ConfigMap', FLEET_CONFIG), 'data', 'workers');
  const n = Number(workers);
  if (!Number.isInteger(n) || n < 1)
    return [`ConfigMap/${FLEET_CONFIG} data.workers is ${String(workers)}, not N >= 1`];
  const spec = at(find(objects, 'Job', WORKER_JOB), 'spec');
  const problems: string[] = [];
  if (at(spec, 'completionMode') !== 'Indexed') problems.push(`Job/${WORKER_JOB}: completionMode is not Indexed`);
  if (at(spec, 'parallelism') !== n)
    problems.push(`Job/${WORKER_JOB}: parallelism ${String(at(spec, 'parallelism'))} != N ${n}`);
  if (at(spec, 'completions') !== n)
    problems.push(`Job/${WORKER_JOB}: completions ${String(at(spec, 'completions'))} != N ${n}`);
  const expected = optionValue(expandedArgs(containerOf(find(objects, 'Job', COORDINATOR_JOB))), 'expect-workers');
  if (expected !== String(n)) problems.push(`Job/${COORDINATOR_JOB}: --expect-workers ${String(expected)} != N ${n}`);
  return problems;
};

/** The token: EVBRIDGE_TOKEN from the Secret in both Jobs, never a literal (env value, arg or committed Secret). */
export const tokenProblems = (objects: readonly K8sObject[]): string[] => {
  const problems: string[] = [];
  for (const name of [COORDINATOR_JOB, WORKER_JOB]) {
    const container = containerOf(find(objects, 'Job', name));
    const env = Array.isArray(container['env']) ? (container['env'] as Json[]) : [];
    const token = env.find((entry) => entry['name'] === 'EVBRIDGE_TOKEN');
    const ref = at(token, 'valueFrom', 'secretKeyRef');
    if (at(ref, 'name') !== TOKEN_SECRET.name || at(ref, 'key') !== TOKEN_SECRET.key || token?.['value'] !== undefined)
      problems.push(
        `Job/${name}: EVBRIDGE_TOKEN does not come from Secret ${TOKEN_SECRET.name} key ${TOKEN_SECRET.key}`,
      );
  }
  for (const object of objects) {
    for (const container of containersOf(object)) {
      const env = Array.isArray(container['env']) ? (container['env'] as Json[]) : [];
      for (const entry of env)
        if (/TOKEN|PASSWORD|SECRET/i.test(String(entry['name'])) && entry['value'] !== undefined)
          problems.push(`${object.kind}/${object.metadata.name}: ${String(entry['name'])} is a literal`);
      const words = [...(Array.isArray(container['command']) ? container['command'] : []), ...expandedArgs(container)];
      for (const word of words.map(String))
        if (/^--(token|password)\b/.test(word))
          problems.push(`${object.kind}/${object.metadata.name}: ${word} in args`);
    }
  }
  if (find(objects, 'Secret', TOKEN_SECRET.name) !== undefined)
    problems.push(`Secret/${TOKEN_SECRET.name} is in the manifests: the user creates it, no token is committed`);
  return problems;
};

/** Service -> coordinator pod -> --listen port, and the workers' --coordinator URL names that Service and port. */
export const controlChannelProblems = (objects: readonly K8sObject[]): string[] => {
  const service = find(objects, 'Service', COORDINATOR_JOB);
  if (service === undefined) return [`no Service/${COORDINATOR_JOB}`];
  const problems: string[] = [];
  const selector = at(service, 'spec', 'selector');
  const selects = (object: K8sObject | undefined): boolean => {
    const labels = at(object, 'spec', 'template', 'metadata', 'labels');
    return (
      isObject(selector) &&
      Object.keys(selector).length > 0 &&
      Object.entries(selector).every(([key, value]) => at(labels, key) === value)
    );
  };
  const coordinatorJob = find(objects, 'Job', COORDINATOR_JOB);
  if (!selects(coordinatorJob)) problems.push(`Service/${COORDINATOR_JOB} does not select the coordinator's pod`);
  for (const other of objects.filter((object) => object !== coordinatorJob))
    if (selects(other))
      problems.push(`Service/${COORDINATOR_JOB} also selects ${other.kind}/${other.metadata.name}'s pods`);

  const coordinator = containerOf(coordinatorJob);
  const listen = optionValue(expandedArgs(coordinator), 'listen') ?? '';
  const listenPort = Number(/:(\d+)$/.exec(listen)?.[1]);
  const ports = Array.isArray(at(service, 'spec', 'ports')) ? (at(service, 'spec', 'ports') as Json[]) : [];
  if (ports.length !== 1) return [...problems, `Service/${COORDINATOR_JOB} should have one port, has ${ports.length}`];
  const port = ports[0] ?? {};
  const containerPorts = Array.isArray(coordinator['ports']) ? (coordinator['ports'] as Json[]) : [];
  const targetPort = port['targetPort'] ?? port['port'];
  const target = containerPorts.find((entry) => entry['name'] === targetPort || entry['containerPort'] === targetPort);
  if (target?.['containerPort'] !== listenPort)
    problems.push(`Service/${COORDINATOR_JOB} targets ${String(targetPort)}, not the port of --listen ${listen}`);

  const url = optionValue(expandedArgs(containerOf(find(objects, 'Job', WORKER_JOB))), 'coordinator') ?? '';
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    return [...problems, `Job/${WORKER_JOB}: --coordinator ${url} is not a URL`];
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:')
    problems.push(`--coordinator ${url} is not ws:// or wss://`);
  if (parsed.hostname !== COORDINATOR_JOB)
    problems.push(`--coordinator ${url} does not name Service/${COORDINATOR_JOB}`);
  if (Number(parsed.port) !== port['port'])
    problems.push(`--coordinator ${url} does not use the Service's port ${String(port['port'])}`);
  return problems;
};

/** REDIS_URL from the Secret; when a Redis is rendered, that Secret points at its Service, which selects its pods. */
export const redisProblems = (objects: readonly K8sObject[]): string[] => {
  const coordinator = containerOf(find(objects, 'Job', COORDINATOR_JOB));
  const env = Array.isArray(coordinator['env']) ? (coordinator['env'] as Json[]) : [];
  const ref = at(
    env.find((entry) => entry['name'] === 'REDIS_URL'),
    'valueFrom',
    'secretKeyRef',
  );
  const problems: string[] = [];
  if (at(ref, 'name') !== REDIS_SECRET.name || at(ref, 'key') !== REDIS_SECRET.key)
    problems.push(
      `Job/${COORDINATOR_JOB}: REDIS_URL does not come from Secret ${REDIS_SECRET.name} key ${REDIS_SECRET.key}`,
    );
  const workerEnv = containerOf(find(objects, 'Job', WORKER_JOB))['env'];
  if (Array.isArray(workerEnv) && workerEnv.some((entry) => isObject(entry) && entry['name'] === 'REDIS_URL'))
    problems.push(`Job/${WORKER_JOB}: workers get Redis over the authenticated channel, not REDIS_URL`);
  const deployment = objects.find((object) => object.kind === 'Deployment');
  const secret = find(objects, 'Secret', REDIS_SECRET.name);
  if (deployment === undefined) return problems;
  const url = new URL(String(at(secret, 'stringData', REDIS_SECRET.key) ?? 'invalid:'));
  const service = find(objects, 'Service', url.hostname);
  const podLabels = at(deployment, 'spec', 'template', 'metadata', 'labels');
  const selector = at(service, 'spec', 'selector');
  if (
    service === undefined ||
    !isObject(selector) ||
    !Object.entries(selector).every(([k, v]) => at(podLabels, k) === v)
  )
    problems.push(
      `Secret/${REDIS_SECRET.name}'s url ${url.href} does not name a Service that selects Deployment/${deployment.metadata.name}`,
    );
  else if (
    !((at(service, 'spec', 'ports') as Json[] | undefined) ?? []).some(
      (p) => String(p['port']) === (url.port || '6379'),
    )
  )
    problems.push(`Secret/${REDIS_SECRET.name}'s url ${url.href} uses a port Service/${url.hostname} does not have`);
  return problems;
};

/** The reports: written under the coordinator's reports mount; a claim there, when used, is one that is rendered. */
export const reportProblems = (objects: readonly K8sObject[]): string[] => {
  const job = find(objects, 'Job', COORDINATOR_JOB);
  const container = containerOf(job);
  const mounts = Array.isArray(container['volumeMounts']) ? (container['volumeMounts'] as Json[]) : [];
  const volumes = job === undefined ? [] : ((podSpecOf(job)['volumes'] as Json[] | undefined) ?? []);
  const problems: string[] = [];
  for (const option of ['json', 'summary-md']) {
    const path = optionValue(expandedArgs(container), option);
    const mount = mounts.find((entry) => path?.startsWith(`${String(entry['mountPath'])}/`));
    if (mount === undefined || mount['mountPath'] === '/tmp') {
      problems.push(`Job/${COORDINATOR_JOB}: --${option} ${String(path)} is not on a reports volume`);
      continue;
    }
    const volume = volumes.find((entry) => entry['name'] === mount['name']);
    const claim = at(volume, 'persistentVolumeClaim', 'claimName');
    if (volume === undefined) problems.push(`Job/${COORDINATOR_JOB}: no volume ${String(mount['name'])}`);
    else if (claim !== undefined && find(objects, 'PersistentVolumeClaim', String(claim)) === undefined)
      problems.push(`Job/${COORDINATOR_JOB}: claim ${String(claim)} is not in the manifests`);
  }
  return problems;
};

/** The NetworkPolicy on the coordinator: its pod, ingress only from the worker pods, only to the control port. */
export const networkPolicyProblems = (objects: readonly K8sObject[]): string[] => {
  const policy = find(objects, 'NetworkPolicy', COORDINATOR_JOB);
  if (policy === undefined) return [`no NetworkPolicy/${COORDINATOR_JOB}`];
  const matches = (selector: unknown, object: K8sObject | undefined): boolean => {
    const labels = at(object, 'spec', 'template', 'metadata', 'labels');
    const wanted = at(selector, 'matchLabels');
    return (
      isObject(wanted) &&
      Object.keys(wanted).length > 0 &&
      Object.entries(wanted).every(([key, value]) => at(labels, key) === value)
    );
  };
  const coordinatorJob = find(objects, 'Job', COORDINATOR_JOB);
  const problems: string[] = [];
  if (!matches(at(policy, 'spec', 'podSelector'), coordinatorJob))
    problems.push(`NetworkPolicy/${COORDINATOR_JOB} does not select the coordinator's pod`);
  const rules = at(policy, 'spec', 'ingress');
  if (!Array.isArray(rules) || rules.length !== 1) return [...problems, 'the policy should have one ingress rule'];
  const sources = at(rules[0], 'from');
  const workerJob = find(objects, 'Job', WORKER_JOB);
  if (
    !Array.isArray(sources) ||
    sources.length === 0 ||
    !sources.every((source) => matches(at(source, 'podSelector'), workerJob))
  )
    problems.push(`NetworkPolicy/${COORDINATOR_JOB} admits others than the worker pods`);
  const ports = at(rules[0], 'ports');
  const containerPorts = (containerOf(coordinatorJob)['ports'] as Json[] | undefined) ?? [];
  const control = containerPorts.find((entry) => entry['name'] === 'control');
  if (
    !Array.isArray(ports) ||
    ports.length !== 1 ||
    (at(ports[0], 'port') !== 'control' && at(ports[0], 'port') !== control?.['containerPort'])
  )
    problems.push(`NetworkPolicy/${COORDINATOR_JOB} opens other ports than the control port`);
  return problems;
};

/** Every check above, on one rendered overlay. */
export const fleetProblems = (objects: readonly K8sObject[]): string[] => [
  ...schemaProblems(objects),
  ...hardeningProblems(objects),
  ...imageProblems(objects),
  ...jobProblems(objects),
  ...fleetSizeProblems(objects),
  ...tokenProblems(objects),
  ...controlChannelProblems(objects),
  ...networkPolicyProblems(objects),
  ...redisProblems(objects),
  ...reportProblems(objects),
];
