// --dashboard's server with the evbridge pages: the live page while the run goes, the report page once it is over.
import { renderRunHtml } from '../html/render-html.js';
import { liveUpdate, renderLivePage } from '../html/live/live-page.js';
import { DashboardServer } from './dashboard-server.js';

/** `scrub` runs over every page and update served (the pages hold no secret, and must not by mistake). */
export function openDashboard(port: number, scrub: (text: string) => string): Promise<DashboardServer> {
  return DashboardServer.open({
    port,
    renderPage: (data) => scrub(data === undefined || 'kind' in data ? renderLivePage(data) : renderRunHtml(data)),
    renderUpdate: (snapshot) => JSON.parse(scrub(JSON.stringify(liveUpdate(snapshot)))),
  });
}
