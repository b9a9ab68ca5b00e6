import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of one app instance (a registry per instance keeps tests independent). */
export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  httpErrors: Counter<'code'>;
}

/** Where the values of counters kept elsewhere come from, read at each scrape. */
export interface MetricSources {
  /** Finished job attempts of this process's runner, per job name and outcome (platform/jobs). */
  jobOutcomes?: () => ReadonlyArray<{ name: string; outcome: string; count: number }>;
}

export function createMetrics(withDefaults = true, sources: MetricSources = {}): Metrics {
  const registry = new Registry();
  if (withDefaults) collectDefaultMetrics({ register: registry, prefix: 'cerebro_' });
  const { jobOutcomes } = sources;
  if (jobOutcomes) {
    new Counter({
      name: 'cerebro_jobs_finished_total',
      help: 'Background job attempts finished by this process: succeeded, retried (failed, tried again later) or failed (dead-lettered)',
      labelNames: ['name', 'outcome'],
      registers: [registry],
      // The runner counts; a scrape copies its monotonic totals.
      collect() {
        this.reset();
        for (const o of jobOutcomes()) this.inc({ name: o.name, outcome: o.outcome }, o.count);
      },
    });
  }
  return {
    registry,
    httpDuration: new Histogram({
      name: 'cerebro_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    httpErrors: new Counter({
      name: 'cerebro_http_errors_total',
      help: 'Error answers by code',
      labelNames: ['code'],
      registers: [registry],
    }),
  };
}
