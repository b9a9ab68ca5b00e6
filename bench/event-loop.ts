/**
 * The server's event-loop delay since the previous scrape, read from its /metrics: prom-client
 * resets its `monitorEventLoopDelay` histogram on every collect, so scraping once before a phase
 * and once after gives the delay during that phase alone.
 */
export interface EventLoopDelay {
  meanMs: number;
  p99Ms: number;
  maxMs: number;
}

const read = (text: string, name: string): number => {
  const line = text.split('\n').find((l) => l.startsWith(`cerebro_nodejs_eventloop_lag_${name}`));
  const seconds = Number(line?.split(' ').at(-1) ?? Number.NaN);
  return Number((seconds * 1000).toFixed(1));
};

/** Scrapes /metrics: the delay since the last scrape (and starts a new window). */
export async function scrapeEventLoopDelay(url: string): Promise<EventLoopDelay> {
  const text = await (await globalThis.fetch(`${url}/metrics`)).text();
  return {
    meanMs: read(text, 'mean_seconds'),
    p99Ms: read(text, 'p99_seconds'),
    maxMs: read(text, 'max_seconds'),
  };
}
