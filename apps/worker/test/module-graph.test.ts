// The worker process's run-time module graph: what main.ts loads, following every import that is not `import type`.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
/** `import x from '...'`, `import { a, type B } from '...'`, `import '...'`, `export ... from '...'`; not `import type`. */
const RUNTIME_IMPORT = /^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;

/** Source files (relative to src/) and packages main.ts loads at run time. */
function runtimeGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(join(SRC, file), 'utf8');
    for (const [, specifier] of source.matchAll(RUNTIME_IMPORT)) {
      if (specifier!.startsWith('.')) visit(join(dirname(file), specifier!).replace(/\.js$/, '.ts'));
      else packages.add(specifier!.startsWith('@') ? specifier!.split('/').slice(0, 2).join('/') : specifier!.split('/')[0]!);
    }
  };
  visit(entry);
  return { files, packages };
}

describe('worker module graph', () => {
  it('finds the imports it should (a check that can fail)', () => {
    const { files, packages } = runtimeGraph('main.ts');
    expect(files).toContain('session.ts');
    expect(files).toContain('transport/bridge-transport.ts');
    expect(packages).toContain('@evbridge/bridge');
    expect(packages).toContain('ioredis');
  });

  it('never loads zod or execa: coordinator messages are checked by hand, IPC is process.send', () => {
    const { files, packages } = runtimeGraph('main.ts');
    expect([...packages].sort()).not.toContain('zod');
    expect([...packages].sort()).not.toContain('execa');
    // protocol.ts builds zod schemas at load time: take values from protocol-values.ts, types with `import type`.
    expect([...files].sort()).not.toContain('protocol.ts');
  });
});
