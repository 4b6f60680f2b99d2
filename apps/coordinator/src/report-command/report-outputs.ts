// What `pnpm report` writes besides the terminal form: the HTML page of any result, and a run report's Markdown summary
// and JUnit XML, each byte for byte what pnpm harness writes for the same report.
import { renderResultHtml } from '../html/render-html.js';
import { renderSummaryMarkdown } from '../markdown/summary-markdown.js';
import { renderJunit } from '../render/junit.js';
import type { ResultFile } from '../results/read-result.js';
import type { ReportOptions } from './options.js';

/** A file to write: the option that asked for it, what it is, and its text from the result. */
export interface Output {
  option: 'html' | 'summary-md' | 'junit';
  path: string;
  what: string;
  render(result: ResultFile): string;
}

/** The run report a run-only output renders; the command refused other kinds before rendering. */
function runReport(result: ResultFile) {
  if (result.kind !== 'run') throw new Error(`a ${result.kind} result has no run report`);
  return result.report;
}

/** What was asked for, in a fixed order. The texts are byte for byte what pnpm harness writes for the same report. */
export function outputsOf(options: ReportOptions): Output[] {
  const outputs: Array<Output | undefined> = [
    options.htmlPath === undefined
      ? undefined
      : { option: 'html', path: options.htmlPath, what: 'HTML', render: renderResultHtml },
    options.summaryMdPath === undefined
      ? undefined
      : {
          option: 'summary-md',
          path: options.summaryMdPath,
          what: 'a Markdown summary',
          render: (result) => `${renderSummaryMarkdown(runReport(result)).trimEnd()}\n`,
        },
    options.junitPath === undefined
      ? undefined
      : {
          option: 'junit',
          path: options.junitPath,
          what: 'JUnit XML',
          render: (result) => `${renderJunit(runReport(result))}\n`,
        },
  ];
  return outputs.filter((output): output is Output => output !== undefined);
}

/** "105 KiB" (an HTML page), "1,843 B" (a summary). */
export function sizeText(text: string): string {
  const bytes = Buffer.byteLength(text);
  return bytes >= 10_240 ? `${Math.round(bytes / 1024)} KiB` : `${bytes.toLocaleString('en-US')} B`;
}
