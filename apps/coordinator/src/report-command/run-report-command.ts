// `pnpm report FILE`: reads a result file and prints it as the command that made it did, or writes it as HTML, and a
// run report's Markdown summary and JUnit XML as pnpm harness --summary-md and --junit write them.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { renderBench } from '../bench/render.js';
import { EXIT_CODES } from '../config/exit-codes.js';
import type { FindMaxDocument } from '../find-max/document.js';
import { formatAnswer, formatHeader, formatStepLine } from '../find-max/render.js';
import type { Report } from '../model/report.js';
import { renderReport } from '../render/report.js';
import { type ResultFile, ResultFileError, readResultFile } from '../results/read-result.js';
import { SCHEMA_2_NOTICE } from '../html/run/run-page.js';
import type { ReportOptions } from './options.js';
import { outputsOf, sizeText } from './report-outputs.js';

export interface ReportCommandIo {
  out: { write(text: string): unknown };
  err: { write(text: string): unknown };
  /** ANSI colours in the terminal form. */
  color: boolean;
}

/** Resolves with the exit code: 0 shown or written, 2 when the file cannot be read, rendered or written. */
export async function runReportCommand(options: ReportOptions, io: ReportCommandIo): Promise<number> {
  const fail = (message: string): number => {
    io.err.write(`evbridge report: ${message}\n`);
    return EXIT_CODES.runFailed;
  };
  let result: ResultFile;
  try {
    result = await readResultFile(options.inputPath);
  } catch (error) {
    if (error instanceof ResultFileError) return fail(error.message);
    throw error;
  }
  const outputs = outputsOf(options);
  const runOnly = outputs.filter((output) => output.option !== 'html').map((output) => `--${output.option}`);
  if (result.kind !== 'run' && runOnly.length > 0) {
    return fail(
      `${runOnly.join(' and ')} ${runOnly.length === 1 ? 'renders' : 'render'} a run report, and ${options.inputPath} is a ${result.kind} result: drop ${runOnly.length === 1 ? 'it' : 'them'}; for this file pnpm report FILE prints it and pnpm report FILE --html OUT writes its page`,
    );
  }
  const cannotShow = (error: unknown): number =>
    fail(
      `${options.inputPath}: a ${result.kind} result that cannot be shown (${(error as Error).message}): is it a whole file as the harness or bench wrote it? Write it again with --json FILE`,
    );
  if (outputs.length === 0) {
    let text: string;
    try {
      text = terminalText(result, io.color);
    } catch (error) {
      return cannotShow(error);
    }
    io.out.write(`${text}\n`);
    return EXIT_CODES.passed;
  }
  const texts: string[] = [];
  for (const output of outputs) {
    try {
      texts.push(output.render(result));
    } catch (error) {
      return cannotShow(error);
    }
  }
  for (const [index, output] of outputs.entries()) {
    const text = texts[index] ?? '';
    try {
      await mkdir(dirname(output.path), { recursive: true });
      await writeFile(output.path, text);
    } catch (error) {
      return fail(
        `cannot write ${output.path} (${(error as Error).message}): give --${output.option} a path in a writable directory`,
      );
    }
    io.out.write(
      `${output.path}: ${result.kind} result of ${options.inputPath} as ${output.what} (${sizeText(text)})\n`,
    );
  }
  return EXIT_CODES.passed;
}

function terminalText(result: ResultFile, color: boolean): string {
  switch (result.kind) {
    case 'run': {
      // The terminal report reads no field a schema 2 report lacks (the per-second series and the matrix).
      const text = renderReport(result.report as Report, { color });
      return result.report.schemaVersion === 2 ? `${text}\n\n${SCHEMA_2_NOTICE}` : text;
    }
    case 'bench':
      return renderBench(result.bench);
    case 'find-max':
      return findMaxText(result.findMax);
  }
}

function findMaxText(doc: FindMaxDocument): string {
  const settings = doc.settings;
  return [
    formatHeader({ transport: doc.transport, procs: doc.procs, slo: doc.slo, ...settings }),
    ...doc.steps.map(formatStepLine),
    ...(doc.error === undefined ? [] : [`stopped early (${doc.outcome}): ${doc.error}`]),
    formatAnswer(doc),
  ].join('\n');
}
