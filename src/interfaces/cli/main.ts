import { Command, Option } from 'commander';
import {
  createUserInOrganization,
  bootstrapOrganization,
  listOrganizations,
} from '../../modules/identity/index.js';
import { auditedOrganizations, verifyAuditChain } from '../../platform/audit/index.js';
import { ConfigError, ENV_HELP, loadConfig, type Config } from '../../platform/config/index.js';
import {
  migrate,
  openEmbedded,
  openPostgres,
  withSystem,
  withTenant,
} from '../../platform/db/index.js';
import { closeDeps, createDeps } from '../server/deps.js';
import { lockDataDir } from '../server/data-dir-lock.js';
import { NODE_CLUSTER, startCluster } from '../server/cluster.js';
import { start } from '../server/start.js';

function config(): Config {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
}

/** Runs `fn` with the adapters of a short-lived command, holding the data-dir lock when embedded. */
async function withDeps<T>(
  fn: (deps: Awaited<ReturnType<typeof createDeps>>) => Promise<T>,
): Promise<T> {
  const cfg = config();
  const unlock = cfg.database.url ? null : await lockDataDir(cfg.dataDir);
  const deps = await createDeps(cfg);
  try {
    return await fn(deps);
  } finally {
    await closeDeps(deps);
    await unlock?.();
  }
}

const program = new Command()
  .name('cerebro')
  .description('Cerebro, the open-source AI-powered CRM')
  .addHelpText(
    'after',
    `\nEnvironment:\n${ENV_HELP.map(([k, v]) => `  ${k.padEnd(34)} ${v}`).join('\n')}\n`,
  );

program
  .command('start', { isDefault: true })
  .description(
    'run everything: HTTP API, web app, workers (the default; WEB_CONCURRENCY API processes)',
  )
  .action(async () => {
    await startCluster(config(), {
      host: NODE_CLUSTER,
      start,
      onSignal: (handler) => {
        process.once('SIGTERM', handler);
        process.once('SIGINT', handler);
      },
      exit: (code) => process.exit(code),
    });
  });

program
  .command('api')
  .description(
    'run the HTTP API only (scale out: several behind a load balancer; needs DATABASE_URL)',
  )
  .action(async () => {
    const cfg = config();
    if (!cfg.database.url)
      throw new Error(
        '`cerebro api` needs DATABASE_URL: the embedded database serves one process (use `cerebro start`)',
      );
    await start(cfg, { http: true, workers: false });
  });

program
  .command('worker')
  .description('run background workers only: event dispatch and jobs (needs DATABASE_URL)')
  .action(async () => {
    const cfg = config();
    if (!cfg.database.url)
      throw new Error(
        '`cerebro worker` needs DATABASE_URL: the embedded database serves one process (use `cerebro start`)',
      );
    await start(cfg, { http: false, workers: true });
  });

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(async () => {
    const cfg = config();
    const unlock = cfg.database.url ? null : await lockDataDir(cfg.dataDir);
    const database = cfg.database.url
      ? await openPostgres(cfg.database.url, 1)
      : await openEmbedded(cfg.dataDir);
    try {
      const result = await migrate(database.db);
      process.stdout.write(
        result.applied.length
          ? `applied: ${result.applied.join(', ')}\n`
          : `up to date (version ${result.current})\n`,
      );
    } finally {
      await database.close();
      await unlock?.();
    }
  });

program
  .command('seed')
  .description('create an organization with an admin user')
  .requiredOption('--organization <name>', 'organization name')
  .requiredOption('--email <email>', 'admin email')
  .requiredOption('--name <name>', 'admin name')
  .requiredOption('--password <password>', 'admin password (at least 10 characters)')
  .action(async (o: { organization: string; email: string; name: string; password: string }) => {
    await withDeps(async (deps) => {
      const r = await bootstrapOrganization(deps, {
        organizationName: o.organization,
        email: o.email,
        name: o.name,
        password: o.password,
      });
      process.stdout.write(`organization ${r.organizationId}, admin ${r.userId}\n`);
    });
  });

const user = program.command('user').description('manage users');
user
  .command('create')
  .description('create a user in an organization')
  .requiredOption('--email <email>', 'email')
  .requiredOption('--name <name>', 'display name')
  .requiredOption('--password <password>', 'password (at least 10 characters)')
  .addOption(new Option('--role <key>', 'role key').default('sales_rep'))
  .option('--organization <slug>', 'organization slug (optional when there is one organization)')
  .action(
    async (o: {
      email: string;
      name: string;
      password: string;
      role: string;
      organization?: string;
    }) => {
      await withDeps(async (deps) => {
        const r = await createUserInOrganization(deps, {
          ...(o.organization ? { organizationSlug: o.organization } : {}),
          email: o.email,
          name: o.name,
          password: o.password,
          roleKey: o.role,
        });
        process.stdout.write(`user ${r.userId} in organization ${r.organizationId}\n`);
      });
    },
  );

const audit = program.command('audit').description('the audit log');
audit
  .command('verify')
  .description(
    "recompute every organization's hash chain; exits 1 when an entry was edited or deleted",
  )
  .option('--organization <slug>', 'only this organization')
  .action(async (o: { organization?: string }) => {
    await withDeps(async (deps) => {
      const orgs = await listOrganizations(deps);
      const audited = new Set(await withSystem(deps.database.db, (tx) => auditedOrganizations(tx)));
      let broken = 0;
      for (const org of orgs) {
        if (o.organization && org.slug !== o.organization) continue;
        if (!audited.has(org.id)) continue;
        const result = await withTenant(deps.database.db, org.id, (tx) =>
          verifyAuditChain(tx, org.id),
        );
        process.stdout.write(
          result.valid
            ? `ok       ${org.slug}: ${result.checked} entries\n`
            : `BROKEN   ${org.slug}: ${result.reason}\n`,
        );
        if (!result.valid) broken++;
      }
      if (broken) process.exitCode = 1;
    });
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
