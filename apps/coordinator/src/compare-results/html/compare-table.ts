// The compare page's table of figures, one per group (the run, or each bench arm): base, new, change, change %, p,
// shift with its interval and the verdict, every number a figure pointing into the comparison JSON.
import type { FigureUnit } from '../../html/figure.js';
import { figure, figureCell, signedFigure } from '../../html/figure.js';
import { htmlTable, textCell } from '../../html/html-table.js';
import { html, type SafeHtml } from '../../html/safe-html.js';
import type { Comparison, CompareUnit, MetricComparison, MetricVerdict } from '../comparison.js';
import { formatChangePercent, formatP } from '../format-compare.js';
import { COMPARISON_COLUMNS, notJudgedReasons, rowCells } from '../table-rows.js';

/** How a value of each unit is written on the page. */
const VALUE_UNIT: Record<CompareUnit, FigureUnit> = {
  us: 'us',
  eventsPerSec: 'eventsPerSec',
  ratio: 'ratio',
  count: 'count',
  percent: 'percent',
  mb: 'mb',
};

/** How a change of each unit is written: a ratio's or a percent's in percentage points, as the terminal does. */
const CHANGE_UNIT: Record<CompareUnit, FigureUnit> = { ...VALUE_UNIT, ratio: 'ratioPoints', percent: 'percentPoints' };

const VERDICT_CLASS: Record<MetricVerdict, string> = {
  worse: 'status-fail',
  better: 'status-pass',
  unchanged: '',
  'not-judged': 'muted',
};

function rowHtml(row: MetricComparison, path: string): SafeHtml[] {
  const change = CHANGE_UNIT[row.unit];
  const { judgement } = row;
  const shift =
    judgement.kind === 'tested'
      ? html`${signedFigure(`${path}.judgement.shift.estimate`, judgement.shift.estimate, change)}${
          judgement.shift.low === null || judgement.shift.high === null
            ? ''
            : html` [${signedFigure(`${path}.judgement.shift.low`, judgement.shift.low, change, true)}, ${signedFigure(`${path}.judgement.shift.high`, judgement.shift.high, change, true)}]`
        }`
      : '-';
  const verdict = rowCells(row).at(-1) ?? '';
  return [
    textCell(row.label),
    figureCell(`${path}.base`, row.base, VALUE_UNIT[row.unit]),
    figureCell(`${path}.new`, row.new, VALUE_UNIT[row.unit]),
    html`<td class="num">${signedFigure(`${path}.change`, row.change, change)}</td>`,
    row.changePercent === null
      ? textCell(formatChangePercent(row), true)
      : html`<td class="num">${signedFigure(`${path}.changePercent`, row.changePercent, 'percent')}</td>`,
    judgement.kind === 'tested'
      ? html`<td class="num">${figure(`${path}.judgement.pValue`, judgement.pValue, 'p')}</td>`
      : textCell(formatP(judgement), true),
    html`<td class="num">${shift}</td>`,
    html`<td class="verdict-cell ${VERDICT_CLASS[row.verdict]}" data-verdict="${row.verdict}">${verdict}</td>`,
  ];
}

export function figuresTables(comparison: Comparison): SafeHtml {
  const columns = COMPARISON_COLUMNS.map((column) => ({ header: column.header, numeric: column.align === 'right' }));
  const tables = comparison.groups.map((group, index) => {
    const table = htmlTable(
      columns,
      group.metrics.map((row, rowIndex) => rowHtml(row, `groups.${index}.metrics.${rowIndex}`)),
      {
        id: `figures-${index}`,
        className: 'figures',
        rowClasses: group.metrics.map((row) => (row.verdict === 'worse' ? 'fail' : '')),
      },
    );
    return comparison.base.kind === 'bench' ? html`<h3>${group.name}</h3>${table}` : table;
  });
  const reasons = notJudgedReasons(comparison);
  return html`${tables}${
    reasons.length === 0
      ? ''
      : html`<h3>Not judged</h3><ul class="not-judged">${reasons.map((reason) => html`<li>${reason}</li>`)}</ul>`
  }`;
}
