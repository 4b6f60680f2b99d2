// The worker process's run-time module graph: what main.ts loads, following every import that is not `import type`,
// into @evbridge/protocol's sources too (the worker's one workspace package that also serves the coordinator).
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** `import x from '...'`, `import { a, type B } from '...'`, `import '...'`, `export ... from '...'`; not `import type`. */
const RUNTIME_IMPORT = /^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
/** Workspace entry points followed into their sources. */
const FOLLOWED: Record<string, string> = {
  '@evbridge/protocol': 'packages/protocol/src/index.ts',
  '@evbridge/protocol/schema': 'packages/protocol/src/schema.ts',
};

/** Source files (relative to the repository) and package specifiers an entry loads at run time. */
function runtimeGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(join(ROOT, file), 'utf8');
    for (const [, specifier] of source.matchAll(RUNTIME_IMPORT)) {
      if (specifier!.startsWith('.'))
        visit(relative(ROOT, join(ROOT, dirname(file), specifier!)).replace(/\.js$/, '.ts'));
      else {
        packages.add(specifier!);
        const followed = FOLLOWED[specifier!];
        if (followed !== undefined) visit(followed);
      }
    }
  };
  visit(entry);
  return { files, packages };
}

describe('worker module graph', () => {
  it('finds the imports it should (a check that can fail)', () => {
    const { files, packages } = runtimeGraph('apps/worker/src/main.ts');
    expect(files).toContain('apps/worker/src/session.ts');
    expect(files).toContain('apps/worker/src/driver/create-driver.ts');
    expect(files).toContain('packages/protocol/src/coordinator-message.ts');
    expect(packages).toContain('@evbridge/drivers');
    expect(packages).toContain('@evbridge/driver');
    // The walk does follow into the schemas when asked: the coordinator's side loads zod.
    expect(runtimeGraph('packages/protocol/src/schema.ts').packages).toContain('zod');
  });

  it('never loads zod or execa: coordinator messages are checked by hand, IPC is process.send', () => {
    const { files, packages } = runtimeGraph('apps/worker/src/main.ts');
    expect([...packages].sort()).not.toContain('zod');
    expect([...packages].sort()).not.toContain('execa');
    // schema.ts builds zod schemas at load time: the worker takes values from @evbridge/protocol, types with `import type`.
    expect([...files].sort()).not.toContain('packages/protocol/src/schema.ts');
    expect([...packages].sort()).not.toContain('@evbridge/protocol/schema');
  });

  it('the thread and floor entries load no zod either', () => {
    for (const entry of ['apps/worker/src/thread-main.ts', 'apps/worker/src/floor/floor-main.ts']) {
      expect([...runtimeGraph(entry).packages]).not.toContain('zod');
    }
  });
});
