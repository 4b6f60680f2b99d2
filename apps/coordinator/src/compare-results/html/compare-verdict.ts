// The top of the compare page: REGRESSED, NO REGRESSION or COMPARED (no rule given) with the result line, then each
// --fail-on rule with what it found in each group.
import { pageSection } from '../../html/chart-figure.js';
import { figure } from '../../html/figure.js';
import { htmlTable } from '../../html/html-table.js';
import { html, type SafeHtml } from '../../html/safe-html.js';
import type { Comparison, ComparedSide } from '../comparison.js';
import { resultLine } from '../table-rows.js';

/** The banner's word and colour class. */
function outcome(comparison: Comparison): { word: string; className: 'fail' | 'pass' | 'neutral' } {
  if (comparison.exitCode === 1) return { word: 'REGRESSED', className: 'fail' };
  if (comparison.rules.length > 0) return { word: 'NO REGRESSION', className: 'pass' };
  return { word: 'COMPARED', className: 'neutral' };
}

/** `run 20261207-044824-a7b135`, or `bench of 2026-12-07T02:16:03.000Z`. */
export function sideName(side: ComparedSide): string {
  return side.kind === 'run' ? `run ${side.id}` : `bench of ${side.startedAt}`;
}

export function compareBanner(comparison: Comparison): SafeHtml {
  const { word, className } = outcome(comparison);
  return html`<header class="verdict ${className}" id="verdict" data-exit-code="${String(comparison.exitCode)}"><div class="word">${word}</div><div class="what"><strong>evbridge compare: ${sideName(comparison.base)} (base) against ${sideName(comparison.new)} (new)</strong><br>${resultLine(comparison).replace(/^RESULT: /, '')} · exit code ${figure('exitCode', comparison.exitCode, 'id')}</div></header>`;
}

export function rulesSection(comparison: Comparison): SafeHtml {
  const { rules } = comparison;
  if (rules.length === 0) {
    return pageSection(
      'rules',
      'Rules (--fail-on)',
      html`<p>No --fail-on rule was given: the comparison exits 0 whatever changed. Add one (for example <code>--fail-on "p99&gt;+10%"</code>) to make it a gate.</p>`,
    );
  }
  const failed = rules.filter((rule) => rule.failed).length;
  return pageSection(
    'rules',
    `Rules (--fail-on): ${failed === 0 ? `all ${rules.length} hold` : `${failed} of ${rules.length} failed`}`,
    [
      html`<p class="muted">A rule fails when its figure got worse beyond the bound <strong>and</strong> the change is significant (lost and the delivery ratio are exact tallies: any change is).</p>`,
      htmlTable(
        [{ header: 'result' }, { header: 'rule' }, { header: 'what it found' }],
        rules.map((rule) => [
          html`<td class="${rule.failed ? 'status-fail' : 'status-pass'}">${rule.failed ? 'FAIL' : 'PASS'}</td>`,
          html`<td><code>${rule.rule}</code></td>`,
          html`<td><ul class="findings">${rule.findings.map((finding) => html`<li>${finding}</li>`)}</ul></td>`,
        ]),
        { id: 'rules-table', rowClasses: rules.map((rule) => (rule.failed ? 'fail' : '')) },
      ),
    ],
  );
}
