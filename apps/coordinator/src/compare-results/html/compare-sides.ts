// What the compare page compared: each side's file, run id, start, window and outcome; the settings of both; the notes
// (durations differ, a side interrupted); and how significance was judged.
import { notice, pageSection } from '../../html/chart-figure.js';
import { figure } from '../../html/figure.js';
import { htmlTable, textCell } from '../../html/html-table.js';
import { html, type SafeHtml } from '../../html/safe-html.js';
import type { Comparison } from '../comparison.js';
import { SHIFT_CONFIDENCE } from '../judge.js';
import { sideName } from './compare-verdict.js';

export function comparedSection(comparison: Comparison): SafeHtml {
  const bench = comparison.base.kind === 'bench';
  const sides = htmlTable(
    [
      { header: 'side' },
      { header: 'file' },
      { header: 'what' },
      { header: 'started' },
      { header: bench ? 'duration per run' : 'measured window', numeric: true },
      { header: 'outcome' },
      { header: 'schema', numeric: true },
      { header: 'seconds tested', numeric: true, title: "per-second samples in the measured window (a run's)" },
    ],
    (['base', 'new'] as const).map((key) => {
      const side = comparison[key];
      return [
        textCell(key),
        html`<td><code>${side.path}</code></td>`,
        textCell(sideName(side)),
        textCell(side.startedAt),
        html`<td class="num">${figure(`${key}.durationMs`, side.durationMs, 'ms')}</td>`,
        textCell(side.outcome),
        html`<td class="num">${figure(`${key}.schemaVersion`, side.schemaVersion, 'id')}</td>`,
        html`<td class="num">${figure(`${key}.measuredSeconds`, side.measuredSeconds, 'count')}</td>`,
      ];
    }),
    { id: 'sides-table' },
  );
  const settings = htmlTable(
    [{ header: 'setting' }, { header: 'base' }, { header: 'new' }, { header: '' }],
    comparison.settings.map((setting) => [
      textCell(setting.name),
      textCell(setting.base),
      textCell(setting.new),
      textCell(
        setting.mustMatch ? 'must match' : setting.base === setting.new ? 'may differ' : 'differs',
        false,
        'muted',
      ),
    ]),
    {
      id: 'settings-table',
      rowClasses: comparison.settings.map((setting) => (setting.base === setting.new ? '' : 'warn')),
    },
  );
  const samples = bench
    ? "each arm's runs on either side (one sample per run)"
    : "the per-second values of each run's measured window (the warm-up left out)";
  return pageSection('compared', 'What was compared', [
    sides,
    settings,
    comparison.notes.map((note) => notice(note)),
    html`<p class="muted">Significance: a two-sided Mann-Whitney U test on ${samples}, alpha ${figure('alpha', comparison.alpha, 'factor')}; shift: the Hodges-Lehmann estimate of new - base with its ${SHIFT_CONFIDENCE * 100}% interval. Lost and the delivery ratio are exact tallies of the whole run: any change is real.</p>`,
  ]);
}
