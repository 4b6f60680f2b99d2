// The live page's script: listens to the dashboard's event stream, redraws the charts and rewrites each live figure
// once a second, and loads the final report when the run is over. Inlined as source text, like report-charts.ts.
import type { LiveUpdate } from '../page-data.js';
import type { ReportCharts } from './report-charts.js';

/** What the script uses of an EventSource. */
export interface ClientEventSource {
  addEventListener(type: string, listener: (event: { data: string }) => void): void;
  close(): void;
}

export interface LiveDocument {
  getElementById(id: string): { textContent: string | null } | null;
  querySelectorAll(selector: string): ArrayLike<{
    textContent: string | null;
    setAttribute(name: string, value: string): void;
    getAttribute(name: string): string | null;
  }>;
}

export interface LiveWindow {
  location: { reload(): void };
}

export function startLiveUpdates(
  doc: LiveDocument,
  charts: ReportCharts,
  win: LiveWindow,
  openEvents: (path: string) => ClientEventSource,
): void {
  const source = openEvents('/events');
  let drawnFor = '';
  source.addEventListener('snapshot', (event) => {
    // A page opened before measurement began has no figures to update yet: it loads the live page once.
    if (doc.querySelectorAll('[data-live]').length === 0) {
      source.close();
      win.location.reload();
      return;
    }
    const update = JSON.parse(event.data) as LiveUpdate;
    // The charts are redrawn only when their data changed (a second ended), not on every push.
    const key = JSON.stringify(update.page);
    if (key !== drawnFor) {
      charts.render(update.page);
      drawnFor = key;
      // The page's data block says what is drawn now, as on a report page.
      const block = doc.getElementById('report-data');
      if (block !== null) block.textContent = key;
    }
    const elements = doc.querySelectorAll('[data-field]');
    for (let index = 0; index < elements.length; index += 1) {
      const element = elements[index];
      const field = element?.getAttribute('data-field');
      if (element === undefined || field === null || field === undefined) continue;
      if (field === 'live.phase') element.textContent = update.phase;
      const figure = update.figures[field];
      if (figure === undefined) continue;
      element.textContent = figure.text;
      element.setAttribute('data-value', figure.value === null ? 'null' : String(figure.value));
    }
  });
  source.addEventListener('final', () => {
    source.close();
    win.location.reload();
  });
}
