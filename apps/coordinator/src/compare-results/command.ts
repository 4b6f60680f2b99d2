// `pnpm compare` from its arguments to its exit code: read both files, compare, print, write JSON, Markdown and HTML.
// Every failure to compare is one line on stderr and exit 2.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ResultFileError, readResultFile } from '../results/read-result.js';
import { CompareError } from './compare-error.js';
import { compareResults } from './compare-results.js';
import { COMPARE_EXIT_CODES } from './comparison.js';
import { parseCompareArgs } from './options.js';
import { renderComparisonHtml } from './html/compare-page.js';
import { renderComparisonMarkdown } from './render-markdown.js';
import { renderComparisonText } from './render-text.js';

export interface CompareIo {
  out: { write(text: string): unknown };
  err: { write(text: string): unknown };
  /** Colour the table (a TTY). */
  color: boolean;
}

export async function runCompareCommand(argv: readonly string[], io: CompareIo): Promise<number> {
  const parsed = parseCompareArgs(argv);
  if (parsed.kind === 'help') {
    io.out.write(`${parsed.text}\n`);
    return COMPARE_EXIT_CODES.noRegression;
  }
  if (parsed.kind === 'error') {
    io.err.write(`evbridge compare: ${parsed.message}\n`);
    return COMPARE_EXIT_CODES.cannotCompare;
  }
  const { command } = parsed;
  try {
    const [base, next] = await Promise.all([readResultFile(command.basePath), readResultFile(command.newPath)]);
    const comparison = compareResults(base, next, { alpha: command.alpha, rules: command.rules });
    io.out.write(`${renderComparisonText(comparison, io.color)}\n`);
    if (command.jsonPath !== undefined) await writeOutput(command.jsonPath, `${JSON.stringify(comparison, null, 2)}\n`);
    if (command.markdownPath !== undefined)
      await writeOutput(command.markdownPath, renderComparisonMarkdown(comparison));
    if (command.htmlPath !== undefined) {
      await writeOutput(command.htmlPath, renderComparisonHtml(comparison, { base, new: next }));
    }
    return comparison.exitCode;
  } catch (error) {
    if (error instanceof ResultFileError || error instanceof CompareError) {
      io.err.write(`evbridge compare: ${error.message}\n`);
      return COMPARE_EXIT_CODES.cannotCompare;
    }
    throw error;
  }
}

async function writeOutput(path: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  } catch (error) {
    throw new CompareError(`cannot write ${path} (${(error as Error).message}): give a writable path`, {
      cause: error,
    });
  }
}
