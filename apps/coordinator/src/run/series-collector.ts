// Keeps every worker's interval stats as they arrive, for the report's time series and the live dashboard.
import type { Fleet } from '../fleet/fleet.js';
import { WorkerSeries } from '../report/time-series.js';

export class SeriesCollector {
  readonly workers: WorkerSeries[];

  constructor(fleet: Fleet) {
    this.workers = fleet.workers.map(() => new WorkerSeries());
    for (const [index, worker] of fleet.workers.entries()) {
      worker.onStats((stats) => this.workers[index]!.add(stats));
    }
  }
}
