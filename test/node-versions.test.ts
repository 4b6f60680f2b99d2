// Keeps the Node.js versions the project claims in step with those it tests: package.json engines, the GitHub
// workflow's matrix, the second Node .ci/run tests on, the Docker image and the README's requirements line.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseDockerfile } from './compose-config.js';

const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const readRepoFile = (path: string): string => readFileSync(join(repoRoot, path), 'utf8');

/** The Node majors people run: 24 (maintenance LTS) and 26 (active LTS), and 22 while it is maintained. */
const SUPPORTED_MAJORS = [22, 24, 26];

/** package.json `engines.node`, `>=20.19`: its major. */
function enginesFloorMajor(): number {
  const engines = (JSON.parse(readRepoFile('package.json')) as { engines?: { node?: string } }).engines?.node ?? '';
  const floor = /^>=\s*(\d+)(\.\d+){0,2}$/.exec(engines.trim());
  if (floor === null)
    throw new Error(`package.json engines.node should be ">=MAJOR.MINOR", got ${JSON.stringify(engines)}`);
  return Number(floor[1]);
}

/** The test job's `strategy.matrix.node` in .github/workflows/ci.yml. */
function workflowMajors(): number[] {
  const workflow = parse(readRepoFile('.github/workflows/ci.yml')) as {
    jobs?: { test?: { strategy?: { matrix?: { node?: unknown } } } };
  };
  const majors = workflow.jobs?.test?.strategy?.matrix?.node;
  if (!Array.isArray(majors))
    throw new Error('.github/workflows/ci.yml: jobs.test.strategy.matrix.node should be a list of Node majors');
  return majors.map(Number);
}

/** `SECOND_NODE_MAJOR=26` in .ci/run: the Node it runs every test on after the machine's own. */
function ciSecondMajor(): number {
  const match = /^SECOND_NODE_MAJOR=(\d+)\b/m.exec(readRepoFile('.ci/run'));
  if (match === null) throw new Error('.ci/run should set SECOND_NODE_MAJOR=<major>');
  return Number(match[1]);
}

describe('Node.js versions', () => {
  it('the GitHub workflow tests every supported major, and engines names the oldest one it tests', () => {
    const majors = workflowMajors();
    expect(majors).toEqual(expect.arrayContaining(SUPPORTED_MAJORS));
    expect(Math.min(...majors)).toBe(enginesFloorMajor());
  });

  it('.ci/run runs every test again on the newest major the workflow tests', () => {
    expect(ciSecondMajor()).toBe(Math.max(...workflowMajors()));
    expect(readRepoFile('.ci/run')).toMatch(/PATH="\$second_bin:\$PATH" run_tests/);
  });

  it('the Docker image runs a Node that .ci/run tests', () => {
    const from = parseDockerfile(readRepoFile('Dockerfile'))
      .filter((instruction) => instruction.keyword === 'FROM')
      .at(-1)
      ?.args.split(/\s+/)
      .find((word) => !word.startsWith('--'));
    expect(from).toMatch(new RegExp(`^node:${ciSecondMajor()}(\\.|-|$)`));
  });

  it('the libraries declare the same engines floor as the workspace', () => {
    const root = (JSON.parse(readRepoFile('package.json')) as { engines: { node: string } }).engines.node;
    for (const library of ['packages/bridge', 'packages/metrics']) {
      const manifest = JSON.parse(readRepoFile(`${library}/package.json`)) as { engines?: { node?: string } };
      expect(manifest.engines?.node, `${library}/package.json engines.node`).toBe(root);
    }
  });

  it("the README's requirements line names the engines floor and every major tested", () => {
    const readme = readRepoFile('README.md');
    const start = readme.indexOf('Requirements:');
    expect(start, 'README.md has no "Requirements:" paragraph').toBeGreaterThanOrEqual(0);
    const paragraph = readme.slice(start, readme.indexOf('\n\n', start)).replace(/\s+/g, ' ');
    const engines = (JSON.parse(readRepoFile('package.json')) as { engines: { node: string } }).engines.node.replace(
      /^>=\s*/,
      '',
    );
    expect(paragraph).toContain(`Node.js ${engines}+`);
    for (const major of workflowMajors()) expect(paragraph).toMatch(new RegExp(`\\b${major}\\b`));
  });
});
