// The repository's layering, read from the sources' import statements (type imports included): workspace packages
// form a graph without cycles, no package imports an app, no app imports another app's code, and no source file
// takes part in an import cycle; within the coordinator, every import between folders points down the layer order
// (COORDINATOR_LAYERS), so its folders form no cycle either.
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

const COORDINATOR_SRC = 'apps/coordinator/src';

/**
 * The coordinator's folders under src, bottom to top: a file imports from its own folder or from a folder below it,
 * never from one above. A new folder takes its place here.
 */
const COORDINATOR_LAYERS = [
  'model', // the Report, what the run learns of each worker, the fault kinds and threshold metrics they name
  'config', // option types, defaults, limits, exit codes, and the units options are written in
  'log', // the logger and the secrets it scrubs
  'redis', // a private redis-server
  'fleet', // worker handles and how they are launched
  'control', // the remote workers' control channel (--listen): token, server, refusals
  'thresholds', // parsing and judging thresholds
  'faults', // injecting faults and analysing what they did
  'report', // building the Report from what the run gathered
  'render', // the report as text
  'run', // one run, phase by phase
  'conformance', // `--conformance`: the driver conformance kit on the run's Redis
  'compare', // --compare-modes
  'find-max', // --find-max
  'command-line', // what the harness and bench command lines share
  'bench', // pnpm bench
  'results', // reading the result files the harness and the bench write (run reports, bench and find-max results)
  'markdown', // a run report as a short Markdown summary (--summary-md, $GITHUB_STEP_SUMMARY)
  'html', // a result file as one self-contained HTML page (the chart library and the page's script inlined)
  'compare-results', // pnpm compare: two runs or two benches, each change judged for significance
  'report-command', // `pnpm report FILE`: a result file again, in the terminal or as HTML
  'dashboard', // --dashboard: the run's page served live on loopback
  'cli', // the harness command line
  '.', // the files directly in src: main.ts, the harness's entry
] as const;

/** The folder of a coordinator source file (`.` for a file directly in src), or undefined for any other file. */
function coordinatorFolder(file: string): string | undefined {
  if (!file.startsWith(`${COORDINATOR_SRC}/`)) return undefined;
  const rest = file.slice(COORDINATOR_SRC.length + 1);
  return rest.includes('/') ? rest.slice(0, rest.indexOf('/')) : '.';
}

/**
 * The imports between coordinator folders that break the order, as `file -> imported file`: those pointing up
 * (or to an unlisted folder), and those from a folder that has no place in the order.
 */
function upwardImports(imports: ReadonlyMap<string, readonly string[]>, layers: readonly string[]): string[] {
  const wrong: string[] = [];
  for (const [file, targets] of imports) {
    const from = coordinatorFolder(file);
    if (from === undefined) continue;
    for (const target of targets) {
      const to = coordinatorFolder(target);
      if (to === undefined || to === from) continue;
      const ordered = layers.includes(from) && layers.includes(to) && layers.indexOf(to) < layers.indexOf(from);
      if (!ordered) wrong.push(`${file} -> ${target}`);
    }
  }
  return wrong;
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
    const src = (path: string): string => `${COORDINATOR_SRC}/${path}`;
    expect(
      upwardImports(
        new Map([
          [src('config/a.ts'), [src('run/b.ts'), src('config/c.ts'), src('model/d.ts')]],
          [src('run/b.ts'), [src('config/a.ts'), src('elsewhere/e.ts')]],
          [src('main.ts'), [src('run/b.ts')]],
        ]),
        ['model', 'config', 'run', '.'],
      ),
    ).toEqual([`${src('config/a.ts')} -> ${src('run/b.ts')}`, `${src('run/b.ts')} -> ${src('elsewhere/e.ts')}`]);
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

  it('every coordinator folder has a place in the layer order', () => {
    const folders = new Set([...files.keys()].map(coordinatorFolder).filter((folder) => folder !== undefined));
    expect([...folders].filter((folder) => !(COORDINATOR_LAYERS as readonly string[]).includes(folder))).toEqual([]);
  });

  it('within apps/coordinator/src, no import points up the folder tree', () => {
    const imports = new Map([...files].map(([file, { relativeFiles }]) => [file, relativeFiles]));
    expect(upwardImports(imports, COORDINATOR_LAYERS)).toEqual([]);
  });

  it('the coordinator folders import each other without a cycle', () => {
    const graph = new Map<string, string[]>();
    for (const [file, { relativeFiles }] of files) {
      const from = coordinatorFolder(file);
      if (from === undefined) continue;
      const edges = graph.get(from) ?? [];
      for (const target of relativeFiles) {
        const to = coordinatorFolder(target);
        if (to !== undefined && to !== from && !edges.includes(to)) edges.push(to);
      }
      graph.set(from, edges);
    }
    expect(cycles(graph)).toEqual([]);
  });
});
