// Checks .github/workflows/ci.yml offline: valid against the GitHub Actions workflow schema (@action-validator/core,
// SchemaStore's schema in wasm), its harness step writes every report, and the upload step keeps exactly those files.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ValidationError, validateWorkflow } from '@action-validator/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { OPTION_SPECS } from '../apps/coordinator/src/cli/option-specs.js';
import { parseCliArgs } from '../apps/coordinator/src/cli/options.js';

const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const workflowSource = readFileSync(join(repoRoot, '.github/workflows/ci.yml'), 'utf8');

/** The report files the harness step must write, by the option that writes each. */
const REPORT_FILES = {
  json: 'harness-report.json',
  html: 'harness-report.html',
  junit: 'harness-report.xml',
  'summary-md': 'harness-summary.md',
} as const;

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}

/** Every error the validator reports, nested ones included, one line each (for a readable failure). */
function errorLines(errors: readonly ValidationError[]): string[] {
  return errors.flatMap((error) => [
    `${'path' in error ? error.path : ''} ${error.title}${error.detail ? `: ${error.detail}` : ''}`,
    ...('states' in error ? (error.states ?? []).flatMap((state) => errorLines(state.errors)) : []),
  ]);
}

function steps(): Step[] {
  const workflow = parse(workflowSource) as { jobs: Record<string, { steps?: Step[] }> };
  return Object.values(workflow.jobs).flatMap((job) => job.steps ?? []);
}

/** A step's command as the shell splits it (words, and "quoted" or 'quoted' strings); enough for one command line. */
function words(command: string): string[] {
  return [...command.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((match) => match[1] ?? match[2] ?? match[3] ?? '');
}

/** The harness step's arguments after `pnpm harness`. */
function harnessArgs(): string[] {
  const found = steps().filter((step) => step.run?.trim().startsWith('pnpm harness'));
  expect(found, 'one step should run `pnpm harness`').toHaveLength(1);
  return words(found[0]?.run ?? '').slice(2);
}

/** `--name value` and `--name=value` alike. */
function optionValue(args: readonly string[], name: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  if (at >= 0) return args[at + 1];
  return args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
}

describe('.github/workflows/ci.yml', () => {
  it('is a valid GitHub Actions workflow', () => {
    const result = validateWorkflow(workflowSource);
    expect(result.actionType).toBe('workflow');
    expect(errorLines(result.errors)).toEqual([]);
  });

  it('the validator rejects broken copies (a check that can fail)', () => {
    const broken = {
      'a misspelt job key': workflowSource.replace('runs-on:', 'run-on:'),
      'a step with two actions': workflowSource.replace(
        '- uses: actions/checkout@v5',
        '- uses: actions/checkout@v5\n        run: true\n        uses: x/y@v1',
      ),
      'a mapping where a string belongs': workflowSource.replace('if: always()', 'if: { always: true }'),
      'a timeout that is not a number': workflowSource.replace('timeout-minutes: 20', 'timeout-minutes: soon'),
      'YAML that does not parse': `${workflowSource}\n  bad: [unclosed\n`,
    };
    for (const [what, source] of Object.entries(broken)) {
      expect(source, what).not.toBe(workflowSource);
      expect(validateWorkflow(source).errors.length, what).toBeGreaterThan(0);
    }
  });

  it('the harness step writes the JSON, HTML, JUnit and Markdown reports', () => {
    const args = harnessArgs();
    for (const [option, file] of Object.entries(REPORT_FILES))
      expect(optionValue(args, option), `--${option}`).toBe(file);
  });

  it('the upload step keeps exactly those files, even when the harness failed', () => {
    const uploads = steps().filter((step) => step.uses?.startsWith('actions/upload-artifact@'));
    expect(uploads).toHaveLength(1);
    const upload = uploads[0];
    expect(upload?.if).toBe('always()');
    const paths = String(upload?.with?.['path'] ?? '')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
    expect(paths.sort()).toEqual(Object.values(REPORT_FILES).sort());
  });

  // --html comes from another branch of the same issue; until it is merged here, this one waits for it.
  const pending = Object.keys(REPORT_FILES).filter((name) => !OPTION_SPECS.some((spec) => spec.name === name));
  it.skipIf(pending.length > 0)(
    `the harness accepts the step's command line as it is (waits for: ${pending.join(', ') || 'nothing'})`,
    () => {
      const parsed = parseCliArgs(harnessArgs(), {});
      if (parsed.kind !== 'run')
        throw new Error(`pnpm harness refuses the workflow's command line: ${JSON.stringify(parsed)}`);
      expect(parsed.options).toMatchObject({
        jsonPath: REPORT_FILES.json,
        junitPath: REPORT_FILES.junit,
        summaryMdPath: REPORT_FILES['summary-md'],
      });
    },
  );
});
