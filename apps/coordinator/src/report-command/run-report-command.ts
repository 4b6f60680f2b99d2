// `pnpm report FILE`: reads a result file and prints it as the command that made it did, or writes it as HTML.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { renderBench } from '../bench/render.js';
import { EXIT_CODES } from '../config/exit-codes.js';
import type { FindMaxDocument } from '../find-max/document.js';
import { formatAnswer, formatHeader, formatStepLine } from '../find-max/render.js';
import { renderResultHtml } from '../html/render-html.js';
import type { Report } from '../model/report.js';
import { renderReport } from '../render/report.js';
import { type ResultFile, ResultFileError, readResultFile } from '../results/read-result.js';
import { SCHEMA_2_NOTICE } from '../html/run/run-page.js';
import type { ReportOptions } from './options.js';

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
  let text: string;
  try {
    text = options.htmlPath === undefined ? terminalText(result, io.color) : renderResultHtml(result);
  } catch (error) {
    return fail(
      `${options.inputPath}: a ${result.kind} result that cannot be shown (${(error as Error).message}): is it a whole file as the harness or bench wrote it? Write it again with --json FILE`,
    );
  }
  if (options.htmlPath === undefined) {
    io.out.write(`${text}\n`);
    return EXIT_CODES.passed;
  }
  try {
    await mkdir(dirname(options.htmlPath), { recursive: true });
    await writeFile(options.htmlPath, text);
  } catch (error) {
    return fail(
      `cannot write ${options.htmlPath} (${(error as Error).message}): give --html a path in a writable directory`,
    );
  }
  io.out.write(
    `${options.htmlPath}: ${result.kind} result of ${options.inputPath} as HTML (${Math.round(text.length / 1024)} KiB)\n`,
  );
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
