// Keeps every worker's interval stats as they arrive, for the report's time series and the live dashboard: each
// worker's figures per interval, and the fleet's latency from the workers' interval histograms merged.
import type { Fleet } from '../fleet/fleet.js';
import { FleetLatency, WorkerSeries } from '../report/time-series.js';

export class SeriesCollector {
  readonly workers: WorkerSeries[];
  readonly fleetLatency = new FleetLatency();

  constructor(fleet: Fleet) {
    this.workers = fleet.workers.map(() => new WorkerSeries());
    for (const [index, worker] of fleet.workers.entries()) {
      worker.onStats((stats) => {
        this.workers[index]!.add(stats);
        this.fleetLatency.add(stats);
      });
    }
  }
}
