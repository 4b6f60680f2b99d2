// $GITHUB_STEP_SUMMARY: the summary is appended after a blank line, never replacing what the step wrote before.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendStepSummary } from '../src/markdown/step-summary.js';
import { useTempDir } from './support/temp-dir.js';

const tempDir = useTempDir('evbridge-step-summary-');

describe('appendStepSummary', () => {
  it('appends to what is there, and creates the file when there is none', async () => {
    const path = join(tempDir(), 'summary.md');
    await appendStepSummary(path, '## first\n');
    await writeFile(path, 'by another command\n', { flag: 'a' });
    await appendStepSummary(path, '## second\n');
    expect(await readFile(path, 'utf8')).toBe('\n## first\nby another command\n\n## second\n');
  });

  it('a file it cannot write is an error naming the variable and the file', async () => {
    const path = join(tempDir(), 'no-such-dir', 'summary.md');
    await expect(appendStepSummary(path, '## x\n')).rejects.toThrow(
      `cannot append the summary to $GITHUB_STEP_SUMMARY (${path}): ENOENT`,
    );
  });
});
