// The repository's layering, read from the sources' import statements (type imports included): workspace packages
// form a graph without cycles, no package imports an app, no app imports another app's code, and no source file
// takes part in an import cycle. (Within the coordinator, folders are not yet ordered: see issue 11.)
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const IMPORT = /^\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;

interface Workspace {
  /** `apps/worker`, `packages/bridge` */
  dir: string;
  /** `@evbridge/worker` */
  name: string;
  kind: 'app' | 'package';
}

function workspaces(): Workspace[] {
  return ['apps', 'packages'].flatMap((top) =>
    readdirSync(join(ROOT, top)).map((entry) => {
      const dir = `${top}/${entry}`;
      const { name } = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as { name: string };
      return { dir, name, kind: top === 'apps' ? ('app' as const) : ('package' as const) };
    }),
  );
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => `${dir}/${file}`);
}

/** Every source file of every workspace with what it imports: workspace names, and files resolved from relative paths. */
function importGraph(): {
  files: Map<string, { workspace: Workspace; specifiers: string[]; relativeFiles: string[] }>;
} {
  const files = new Map<string, { workspace: Workspace; specifiers: string[]; relativeFiles: string[] }>();
  for (const workspace of workspaces()) {
    for (const file of sourceFiles(`${workspace.dir}/src`)) {
      const source = readFileSync(join(ROOT, file), 'utf8');
      const specifiers = [...source.matchAll(IMPORT)].map((match) => match[1]!);
      const relativeFiles = specifiers
        .filter((specifier) => specifier.startsWith('.'))
        .map((specifier) => relative(ROOT, normalize(join(ROOT, dirname(file), specifier))).replace(/\.js$/, '.ts'));
      files.set(file, { workspace, specifiers, relativeFiles });
    }
  }
  return { files };
}

const workspaceOf = (specifier: string, all: Workspace[]): Workspace | undefined =>
  all.find((workspace) => specifier === workspace.name || specifier.startsWith(`${workspace.name}/`));

/** Strongly connected components of more than one node (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      for (;;) {
        const member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
        if (member === node) break;
      }
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe('layering', () => {
  const all = workspaces();
  const { files } = importGraph();

  it('reads the graph it should (a check that can fail)', () => {
    expect(all.map((workspace) => workspace.name)).toContain('@evbridge/protocol');
    expect(files.get('apps/worker/src/session.ts')?.specifiers).toContain('@evbridge/protocol');
    expect(
      cycles(
        new Map([
          ['a', ['b']],
          ['b', ['a']],
          ['c', ['a']],
        ]),
      ),
    ).toEqual([['a', 'b']]);
  });

  it('no package imports an app, and no app imports another app', () => {
    const wrong: string[] = [];
    for (const [file, { workspace, specifiers }] of files) {
      for (const specifier of specifiers) {
        const target = workspaceOf(specifier, all);
        if (target === undefined || target === workspace) continue;
        if (target.kind === 'app') wrong.push(`${file} imports ${specifier}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('no relative import leaves its workspace', () => {
    const wrong: string[] = [];
    for (const [file, { workspace, relativeFiles }] of files) {
      for (const target of relativeFiles)
        if (!target.startsWith(`${workspace.dir}/`)) wrong.push(`${file} -> ${target}`);
    }
    expect(wrong).toEqual([]);
  });

  it('the workspaces depend on each other without a cycle', () => {
    const graph = new Map<string, string[]>();
    for (const { workspace, specifiers } of files.values()) {
      const edges = graph.get(workspace.name) ?? [];
      for (const specifier of specifiers) {
        const target = workspaceOf(specifier, all);
        if (target !== undefined && target !== workspace && !edges.includes(target.name)) edges.push(target.name);
      }
      graph.set(workspace.name, edges);
    }
    expect(cycles(graph)).toEqual([]);
  });

  it('no source file takes part in an import cycle', () => {
    const graph = new Map(
      [...files].map(([file, { relativeFiles }]) => [file, relativeFiles.filter((target) => files.has(target))]),
    );
    expect(cycles(graph)).toEqual([]);
  });
});
