// The page's own CSS: readable tables, a verdict banner, chart frames; printable, no web fonts.

export const PAGE_CSS = `
:root { --pass: #1a7f37; --fail: #c62828; --warn: #9a6700; --line: #d0d7de; --muted: #57606a; --bg-alt: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #1f2328; background: #ffffff; }
main { max-width: 1200px; margin: 0 auto; padding: 16px 20px 40px; }
h1 { font-size: 22px; margin: 0; }
h2 { font-size: 17px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 18px 0 6px; }
p { margin: 6px 0; }
.muted { color: var(--muted); }
.verdict { display: flex; gap: 18px; align-items: center; padding: 12px 16px; border-radius: 6px; color: #ffffff; }
.verdict.pass { background: var(--pass); }
.verdict.fail { background: var(--fail); }
.verdict.neutral { background: #3b4b5c; }
.verdict .word { font-size: 30px; font-weight: 700; letter-spacing: 1px; }
.verdict .what { font-size: 14px; }
.verdict .what strong { font-size: 16px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(108px, 1fr)); gap: 8px; margin: 12px 0 4px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 6px 9px; background: var(--bg-alt); }
.card .label { font-size: 12px; color: var(--muted); }
.card .value { font-size: 15px; font-weight: 600; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.card.bad { border-color: var(--fail); background: #fff1f0; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; margin: 6px 0 10px; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 9px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: var(--bg-alt); font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; white-space: nowrap; }
tr.fail td { background: #fff1f0; }
tr.warn td { background: #fff8c5; }
.status-pass { color: var(--pass); font-weight: 700; }
.status-fail { color: var(--fail); font-weight: 700; }
table.matrix td.lost { background: #ffd7d5; font-weight: 600; }
table.matrix td.self { background: var(--bg-alt); color: var(--muted); text-align: center; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(540px, 1fr)); gap: 12px; }
figure.chart { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px 8px 2px; min-width: 0; }
figure.chart figcaption { font-weight: 600; margin-bottom: 2px; }
figure.chart .note { font-size: 12px; color: var(--muted); font-weight: normal; }
.chart-plot { min-height: 40px; }
.chart-plot .no-js { color: var(--muted); font-style: italic; }
.notice { border-left: 4px solid var(--warn); background: #fff8c5; padding: 6px 10px; margin: 8px 0; }
dl.settings { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 6px 0; }
dl.settings dt { color: var(--muted); }
dl.settings dd { margin: 0; overflow-wrap: anywhere; }
ul.problems li { white-space: pre-wrap; }
ul.findings { margin: 0; padding-left: 18px; }
footer { margin-top: 30px; font-size: 12px; color: var(--muted); }
@media print { .chart-plot .no-js { display: none; } }
`;
