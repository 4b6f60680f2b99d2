// Appends a Markdown summary to the file GitHub Actions shows as the step's summary ($GITHUB_STEP_SUMMARY).
import { appendFile } from 'node:fs/promises';
import { STEP_SUMMARY_ENV } from '../config/defaults.js';

/**
 * Appends `markdown` to `path` after a blank line, keeping what earlier commands of the step wrote there (GitHub
 * Actions expects appends). Rejects with an error naming the file and the cause.
 */
export async function appendStepSummary(path: string, markdown: string): Promise<void> {
  try {
    await appendFile(path, `\n${markdown}`);
  } catch (error) {
    throw new Error(
      `cannot append the summary to $${STEP_SUMMARY_ENV} (${path}): ${(error as Error).message}; unset ${STEP_SUMMARY_ENV} outside GitHub Actions`,
      { cause: error },
    );
  }
}
