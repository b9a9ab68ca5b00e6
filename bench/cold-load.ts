// `npm run bench:cold-load`: how fast Home and Contacts appear on a cold load in headless Chromium
// (first contentful paint, largest contentful paint, long tasks, bytes of script), on the embedded
// default with the demo organization. The baseline, measured in the same run and the same browser,
// is a bare static page from a plain `node:http` server: the floor of what this machine and
// Chromium take to paint anything.
import { createServer, type Server } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchBrowser, startServer } from '../e2e/server.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);

/** What one cold load measured, from Chromium's own performance entries. */
interface Load {
  fcpMs: number;
  lcpMs: number;
  longTasks: number;
  longTaskMs: number;
  scriptKb: number;
  requests: number;
  chartLibrary: boolean;
}

// Registered before any page script runs, so the buffered entries include everything from the start.
const OBSERVE = `
  window.__cold = { lcp: 0, longTasks: [] };
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__cold.lcp = e.startTime; })
    .observe({ type: 'largest-contentful-paint', buffered: true });
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__cold.longTasks.push(e.duration); })
    .observe({ type: 'longtask', buffered: true });
`;

const BARE_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bare</title></head>
<body><main><h1>Contacts</h1><p>A static page: the paint floor of this machine and browser.</p></main></body></html>`;

function bareServer(): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(BARE_PAGE);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      resolve({ url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`, server });
    }),
  );
}

/** One cold load of `url` in a fresh context (empty cache), waiting for `ready` to be visible. */
async function coldLoad(
  browser: Browser,
  url: string,
  ready: string,
  storageState?: Awaited<ReturnType<BrowserContext['storageState']>>,
): Promise<Load> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    ...(storageState ? { storageState } : {}),
  });
  await context.addInitScript(OBSERVE);
  const page = await context.newPage();
  const scripts: string[] = [];
  let requests = 0;
  page.on('request', () => (requests += 1));
  page.on('response', (res) => {
    if (res.request().resourceType() === 'script') scripts.push(res.url());
  });
  await page.goto(url);
  await page.locator(ready).first().waitFor();
  await page.waitForLoadState('networkidle');
  // LCP is final once the page has painted its content and had a frame to report it.
  await page.waitForTimeout(200);
  const measured = await page.evaluate(() => {
    // The browser's own types are not in this Node project: the few fields read, named here.
    interface Entry {
      name: string;
      startTime: number;
      initiatorType?: string;
      encodedBodySize?: number;
    }
    const w = globalThis as unknown as {
      __cold: { lcp: number; longTasks: number[] };
      performance: { getEntriesByType(type: string): Entry[] };
    };
    const fcp = w.performance
      .getEntriesByType('paint')
      .find((e) => e.name === 'first-contentful-paint');
    const bytes = w.performance
      .getEntriesByType('resource')
      .filter((e) => e.initiatorType === 'script')
      .reduce((s, e) => s + (e.encodedBodySize ?? 0), 0);
    return {
      fcpMs: fcp?.startTime ?? 0,
      lcpMs: w.__cold.lcp,
      longTasks: w.__cold.longTasks.length,
      longTaskMs: w.__cold.longTasks.reduce((s, d) => s + d, 0),
      scriptKb: bytes / 1024,
    };
  });
  // The chart library is the dashboards' alone: its chunk must not be on these pages.
  const bodies = await Promise.all(
    scripts.map(async (s) => (await context.request.get(s)).text().catch(() => '')),
  );
  await context.close();
  return { ...measured, requests, chartLibrary: bodies.some((b) => b.includes('recharts')) };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

function summarize(loads: Load[]) {
  const of = (k: keyof Omit<Load, 'chartLibrary'>) => Math.round(median(loads.map((l) => l[k])));
  return {
    fcpMs: of('fcpMs'),
    lcpMs: of('lcpMs'),
    longTasks: of('longTasks'),
    longTaskMs: of('longTaskMs'),
    scriptKb: of('scriptKb'),
    requests: of('requests'),
    chartLibrary: loads.some((l) => l.chartLibrary),
  };
}

async function main(): Promise<void> {
  const bare = await bareServer();
  const server = await startServer({ DEMO: 'true' }, 300_000);
  const browser = await launchBrowser();
  try {
    const password = /with password (\S+)/.exec(server.output())?.[1];
    if (!password) throw new Error(`no demo login printed:\n${server.output()}`);
    const login = await browser.newContext();
    const page = await login.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-email').fill('admin@demo.cerebro.local');
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('app-shell').waitFor();
    const session = await login.storageState();
    await login.close();

    const targets = [
      { name: 'bare static page (baseline)', url: bare.url, ready: 'h1' },
      { name: 'login', url: `${server.url}/login`, ready: '[data-testid="login-email"]' },
      { name: 'home', url: `${server.url}/`, ready: 'main h1', session },
      { name: 'contacts', url: `${server.url}/contacts`, ready: '[role="row"] >> nth=1', session },
      // The control for `chartLibrary`: the one page here that must load it.
      { name: 'sales dashboard', url: `${server.url}/sales`, ready: 'main h1', session },
    ];
    const results: Record<string, ReturnType<typeof summarize>> = {};
    for (const t of targets) {
      // One warm-up load so the server's first-request costs are not in the figures.
      await coldLoad(browser, t.url, t.ready, t.session);
      const loads: Load[] = [];
      for (let i = 0; i < RUNS; i += 1)
        loads.push(await coldLoad(browser, t.url, t.ready, t.session));
      results[t.name] = summarize(loads);
    }
    const baseline = results['bare static page (baseline)'];
    const rows = Object.entries(results).map(([name, r]) => ({
      page: name,
      ...r,
      fcpVsBare: baseline ? Number((r.fcpMs / Math.max(1, baseline.fcpMs)).toFixed(1)) : null,
      lcpVsBare: baseline ? Number((r.lcpMs / Math.max(1, baseline.lcpMs)).toFixed(1)) : null,
    }));
    console.table(rows);
    const dir = path.resolve(import.meta.dirname, 'results');
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, `cold-load-${new Date().toISOString().slice(0, 10)}.json`);
    await writeFile(
      file,
      `${JSON.stringify({ runs: RUNS, database: 'embedded', rows }, null, 2)}\n`,
    );
    console.log(`written to ${path.relative(process.cwd(), file)}`);
  } finally {
    await browser.close();
    await server.stop();
    bare.server.close();
  }
}

await main();
