// Renders deploy/k8s kustomizations the way kustomize does, for test/k8s.test.ts: only the fields these files use.
//
// No maintained npm package runs kustomize (the npm registry has none; kustomize is a Go program), so this is the small
// subset deploy/k8s needs: resources (files and directories), components, patches (strategic merge, by the patch's kind
// and name), images and replacements (fieldPaths with map keys, list indices and [key=value] selectors). Any other
// field, or an option of these, is refused with an error naming it, so a kustomization that outgrows this renderer
// fails the test instead of being half-rendered. test/k8s.test.ts also compares it with the real kustomize
// (`kubectl kustomize`) wherever one is installed.
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  [field: string]: unknown;
};

type Json = Record<string, unknown>;

const SUPPORTED_FIELDS = ['apiVersion', 'kind', 'resources', 'components', 'patches', 'images', 'replacements'];

export class KustomizeSubsetError extends Error {
  override name = 'KustomizeSubsetError';
}

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Refuses any key outside `allowed`, naming where it was found. */
const onlyKeys = (value: Json, allowed: readonly string[], where: string): void => {
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    throw new KustomizeSubsetError(
      `${where} uses ${unknown.map((key) => `"${key}"`).join(', ')}, which test/k8s-render.ts does not implement: ` +
        'implement it there (as kustomize does) or keep deploy/k8s to the supported fields',
    );
  }
};

const idOf = (object: K8sObject): string => `${object.kind}/${object.metadata.name}`;

/** Every YAML document in a file, each checked to be a Kubernetes object with a kind and a name. */
const readObjects = (file: string): K8sObject[] =>
  parseAllDocuments(readFileSync(file, 'utf8')).map((document, index) => {
    if (document.errors.length > 0) throw new KustomizeSubsetError(`${file}: ${document.errors[0]?.message}`);
    const object: unknown = document.toJS();
    if (!isObject(object) || typeof object['kind'] !== 'string' || !isObject(object['metadata'])) {
      throw new KustomizeSubsetError(`${file} document ${index + 1} is not a Kubernetes object with kind and metadata`);
    }
    if (typeof object['metadata']['name'] !== 'string')
      throw new KustomizeSubsetError(`${file} document ${index + 1} has no metadata.name`);
    return object as K8sObject;
  });

/** The kustomization in `dir`, checked to be of the expected kind and to use only supported fields. */
const readKustomization = (dir: string, kind: 'Kustomization' | 'Component'): Json => {
  const file = join(dir, 'kustomization.yaml');
  const parsed: unknown = parseAllDocuments(readFileSync(file, 'utf8'))[0]?.toJS();
  if (!isObject(parsed)) throw new KustomizeSubsetError(`${file} is not a mapping`);
  onlyKeys(parsed, SUPPORTED_FIELDS, file);
  if ((parsed['kind'] ?? 'Kustomization') !== kind)
    throw new KustomizeSubsetError(`${file} is a ${String(parsed['kind'])}, where a ${kind} is expected`);
  return parsed;
};

const stringList = (value: unknown, where: string): string[] => {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string'))
    throw new KustomizeSubsetError(`${where} must be a list of paths`);
  return value;
};

const objectList = (value: unknown, where: string): Json[] => {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every(isObject)) throw new KustomizeSubsetError(`${where} must be a list`);
  return value;
};

/** Adds objects, refusing a second object with the same kind and name (as kustomize does). */
const addAll = (into: K8sObject[], objects: readonly K8sObject[], where: string): void => {
  for (const object of objects) {
    if (into.some((existing) => idOf(existing) === idOf(object)))
      throw new KustomizeSubsetError(`${where}: ${idOf(object)} is defined twice`);
    into.push(object);
  }
};

/** Strategic merge for what the patches here need: maps merge, null deletes, lists of named items merge by name. */
const strategicMerge = (target: unknown, patch: unknown): unknown => {
  if (isObject(target) && isObject(patch)) {
    const merged: Json = { ...target };
    for (const [key, value] of Object.entries(patch)) {
      if (key.startsWith('$')) throw new KustomizeSubsetError(`patch directive ${key} is not implemented`);
      if (value === null) delete merged[key];
      else merged[key] = key in target ? strategicMerge(target[key], value) : value;
    }
    return merged;
  }
  const named = (list: unknown): list is Json[] =>
    Array.isArray(list) && list.every((item) => isObject(item) && typeof item['name'] === 'string');
  if (named(target) && named(patch)) {
    const merged = [...target];
    for (const item of patch) {
      const at = merged.findIndex((existing) => existing['name'] === item['name']);
      if (at < 0) merged.push(item);
      else merged[at] = strategicMerge(merged[at], item) as Json;
    }
    return merged;
  }
  return patch;
};

const applyPatches = (objects: K8sObject[], patches: readonly Json[], dir: string): K8sObject[] => {
  let result = objects;
  patches.forEach((entry, index) => {
    const where = `${join(dir, 'kustomization.yaml')} patches[${index}]`;
    onlyKeys(entry, ['path'], where);
    if (typeof entry['path'] !== 'string') throw new KustomizeSubsetError(`${where} needs a path`);
    for (const patch of readObjects(resolve(dir, entry['path']))) {
      const target = result.find((object) => idOf(object) === idOf(patch));
      if (target === undefined) throw new KustomizeSubsetError(`${where}: no ${idOf(patch)} to patch`);
      result = result.map((object) => (object === target ? (strategicMerge(object, patch) as K8sObject) : object));
    }
  });
  return result;
};

/** Every container (and init container) of the object's pod template, or of the pod itself. */
export const containersOf = (object: K8sObject): Json[] => {
  const spec = object['spec'];
  const podSpec = isObject(spec) && isObject(spec['template']) ? spec['template']['spec'] : spec;
  if (!isObject(podSpec)) return [];
  return [podSpec['initContainers'], podSpec['containers']].flatMap((list) =>
    Array.isArray(list) ? list.filter(isObject) : [],
  );
};

const applyImages = (objects: K8sObject[], images: readonly Json[], dir: string): void => {
  images.forEach((image, index) => {
    const where = `${join(dir, 'kustomization.yaml')} images[${index}]`;
    onlyKeys(image, ['name', 'newName', 'newTag', 'digest'], where);
    const name = image['name'];
    if (typeof name !== 'string') throw new KustomizeSubsetError(`${where} needs a name`);
    for (const container of objects.flatMap(containersOf)) {
      const current = String(container['image'] ?? '');
      const match = /^([^@]+?)(?::([^:/@]+))?(?:@(.+))?$/.exec(current);
      if (match?.[1] !== name) continue;
      const newName = String(image['newName'] ?? name);
      const digest = image['digest'];
      const tag = image['newTag'] ?? match[2];
      container['image'] =
        digest !== undefined
          ? `${newName}@${String(digest)}`
          : tag !== undefined
            ? `${newName}:${String(tag)}`
            : newName;
    }
  });
};

/** A kustomize field path split into steps: `a.b.[name=x].c.1` (dots inside [..] do not split). */
const pathSteps = (fieldPath: string): string[] => fieldPath.match(/\[[^\]]*\]|[^.]+/g) ?? [];

/** Follows a field path; returns the parent and the key of the field it names, or throws naming the missing step. */
const locate = (root: unknown, fieldPath: string, what: string): { parent: Json | unknown[]; key: string | number } => {
  const steps = pathSteps(fieldPath);
  let node: unknown = root;
  for (const [index, step] of steps.entries()) {
    let key: string | number;
    if (Array.isArray(node)) {
      const selector = /^\[([^=\]]+)=([^\]]*)\]$/.exec(step);
      if (selector !== null) {
        key = node.findIndex((item) => isObject(item) && String(item[selector[1] ?? '']) === selector[2]);
      } else if (/^\d+$/.test(step)) {
        key = Number(step);
      } else {
        throw new KustomizeSubsetError(`${what}: step "${step}" of ${fieldPath} does not select a list item`);
      }
      if (key < 0 || key >= node.length) throw new KustomizeSubsetError(`${what}: ${fieldPath} has no ${step}`);
    } else if (isObject(node)) {
      key = step;
      if (!(key in node)) throw new KustomizeSubsetError(`${what}: ${fieldPath} has no field ${step}`);
    } else {
      throw new KustomizeSubsetError(`${what}: ${fieldPath} stops before ${step}`);
    }
    if (index === steps.length - 1) return { parent: node as Json | unknown[], key };
    node = (node as Record<string | number, unknown>)[key];
  }
  throw new KustomizeSubsetError(`${what}: empty field path`);
};

const selectOne = (objects: readonly K8sObject[], select: Json, where: string): K8sObject[] => {
  onlyKeys(select, ['kind', 'name'], where);
  return objects.filter(
    (object) =>
      (select['kind'] === undefined || object.kind === select['kind']) &&
      (select['name'] === undefined || object.metadata.name === select['name']),
  );
};

/** Replacements copy a scalar; the target keeps its type (an integer field stays an integer), as kustomize does. */
const applyReplacements = (objects: K8sObject[], replacements: readonly Json[], dir: string): void => {
  replacements.forEach((replacement, index) => {
    const where = `${join(dir, 'kustomization.yaml')} replacements[${index}]`;
    onlyKeys(replacement, ['source', 'targets'], where);
    const source = replacement['source'];
    if (!isObject(source)) throw new KustomizeSubsetError(`${where} needs a source`);
    onlyKeys(source, ['kind', 'name', 'fieldPath'], `${where}.source`);
    const sources = selectOne(objects, { kind: source['kind'], name: source['name'] }, `${where}.source`);
    if (sources.length !== 1)
      throw new KustomizeSubsetError(`${where}.source selects ${sources.length} objects, not exactly one`);
    const fieldPath = String(source['fieldPath'] ?? 'metadata.name');
    const from = locate(sources[0], fieldPath, `${where}.source`);
    const value = (from.parent as Record<string | number, unknown>)[from.key];
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
      throw new KustomizeSubsetError(`${where}.source ${fieldPath} is not a scalar`);
    objectList(replacement['targets'], `${where}.targets`).forEach((target, targetIndex) => {
      const at = `${where}.targets[${targetIndex}]`;
      onlyKeys(target, ['select', 'fieldPaths'], at);
      if (!isObject(target['select'])) throw new KustomizeSubsetError(`${at} needs a select`);
      const selected = selectOne(objects, target['select'], `${at}.select`);
      if (selected.length === 0) throw new KustomizeSubsetError(`${at}.select matches nothing`);
      for (const object of selected) {
        for (const path of stringList(target['fieldPaths'], `${at}.fieldPaths`)) {
          const { parent, key } = locate(object, path, at);
          const slot = parent as Record<string | number, unknown>;
          const current = slot[key];
          const asNumber = Number(value);
          slot[key] = typeof current === 'number' && Number.isFinite(asNumber) ? asNumber : String(value);
        }
      }
    });
  });
};

/** Renders the kustomization (or component) in `dir` on top of `inherited` (a component's parent's objects). */
const build = (dir: string, kind: 'Kustomization' | 'Component', inherited: K8sObject[]): K8sObject[] => {
  const kustomization = readKustomization(dir, kind);
  const where = join(dir, 'kustomization.yaml');
  let objects = [...inherited];
  for (const resource of stringList(kustomization['resources'], `${where} resources`)) {
    const path = resolve(dir, resource);
    addAll(
      objects,
      statSync(path).isDirectory() ? build(path, 'Kustomization', []) : readObjects(path),
      `${where} resources`,
    );
  }
  for (const component of stringList(kustomization['components'], `${where} components`))
    objects = build(resolve(dir, component), 'Component', objects);
  objects = applyPatches(objects, objectList(kustomization['patches'], `${where} patches`), dir);
  applyImages(objects, objectList(kustomization['images'], `${where} images`), dir);
  applyReplacements(objects, objectList(kustomization['replacements'], `${where} replacements`), dir);
  return objects;
};

/** Renders a kustomization directory into its Kubernetes objects (deep copies; the files are not changed). */
export const renderKustomization = (dir: string): K8sObject[] =>
  structuredClone(build(resolve(dir), 'Kustomization', []));
