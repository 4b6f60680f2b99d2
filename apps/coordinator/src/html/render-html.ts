// Any result file the harness or the bench writes, as one self-contained HTML page.
import type { ResultFile } from '../results/read-result.js';
import { renderBenchHtml } from './bench/bench-page.js';
import { renderFindMaxHtml } from './bench/find-max-page.js';
import { renderRunHtml } from './run/run-page.js';

export { renderRunHtml } from './run/run-page.js';

export function renderResultHtml(result: ResultFile): string {
  switch (result.kind) {
    case 'run':
      return renderRunHtml(result.report);
    case 'bench':
      return renderBenchHtml(result.bench);
    case 'find-max':
      return renderFindMaxHtml(result.findMax);
  }
}
