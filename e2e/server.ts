import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { copyE2eTemplate } from './template.js';

const ROOT = path.resolve(import.meta.dirname, '..');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** A real `cerebro start` on a fresh data dir holding a copy of the migrated database, and how to stop it. */
export async function startServer(
  env: Record<string, string> = {},
  readyWithinMs = 180_000,
): Promise<{ url: string; stop: () => Promise<void>; output: () => string }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'cerebro-e2e-'));
  // A server on PostgreSQL (DATABASE_URL) makes no embedded database to copy.
  if (!(env.DATABASE_URL ?? process.env.DATABASE_URL)) await copyE2eTemplate(dataDir);
  const port = await freePort();
  let output = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(ROOT, 'bin/cerebro.mjs'), 'start'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        PORT: String(port),
        LOG_LEVEL: 'warn',
        DEMO: 'false',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyWithinMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    try {
      const res = await globalThis.fetch(`${url}/readyz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not become ready:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    output: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, headless, with the flags this closed network needs. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A server (with extra environment, e.g. OUTBOUND_ALLOW_HOSTS) and a browser for one e2e file, started before its tests and stopped after. */
export function useServerAndBrowser(
  hooks: {
    beforeAll: (fn: () => Promise<void>, timeout?: number) => void;
    afterAll: (fn: () => Promise<void>) => void;
  },
  env: Record<string, string> = {},
) {
  const state: { server: Awaited<ReturnType<typeof startServer>> | null; browser: Browser | null } =
    { server: null, browser: null };
  hooks.beforeAll(async () => {
    await mkdir('test-results', { recursive: true });
    state.server = await startServer(env);
    state.browser = await launchBrowser();
  });
  hooks.afterAll(async () => {
    await state.browser?.close();
    await state.server?.stop();
  });
  return {
    get url(): string {
      if (!state.server) throw new Error('server not started');
      return state.server.url;
    },
    get browser(): Browser {
      if (!state.browser) throw new Error('browser not started');
      return state.browser;
    },
  };
}

/** Calls the API from the signed-in page (its cookies and CSRF token), answering the JSON body. */
export async function callApi<T>(
  page: Page,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const csrf = (await page.context().cookies()).find((c) => c.name === 'cerebro_csrf')?.value ?? '';
  return page.evaluate(
    async ({ method, path, body, csrf }) => {
      const res = await fetch(`/api/v1${path}`, {
        method,
        headers: {
          // A JSON content type with no body is a 400, as the contract says: only send it with one.
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          'X-CSRF-Token': decodeURIComponent(csrf),
          'X-Cerebro-Client': 'web',
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (res.status === 204) return undefined as T;
      return (await res.json()) as T;
    },
    { method, path, body, csrf },
  );
}

/** Signs a new organization up through the web form and waits for the app shell; its first user is the admin. */
export async function signUp(
  page: Page,
  url: string,
  who: { name: string; email: string; password: string; organization: string },
): Promise<void> {
  await page.goto(`${url}/signup`);
  await page.getByTestId('signup-name').fill(who.name);
  await page.getByTestId('signup-email').fill(who.email);
  await page.getByTestId('signup-password').fill(who.password);
  await page.getByTestId('signup-organization').fill(who.organization);
  await page.getByTestId('signup-submit').click();
  await page.getByTestId('app-shell').waitFor();
}
