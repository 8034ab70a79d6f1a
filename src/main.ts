import { Command, CommanderError } from 'commander';
import { loadConfig, ConfigError, type Config } from './config.js';
import { openChartroom, type Chartroom } from './runtime.js';
import { startServer } from './server.js';
import { createUser, findUserByUsername, resetPassword, unlockUser } from './access/users.js';
import { createApiClient } from './access/api-clients.js';
import { verifyAuditChain } from './audit/verify.js';
import { isDomainError } from './platform/errors.js';
import { ROLES } from './access/roles.js';
import type { AuditActor } from './audit/actions.js';
import { packageVersion } from './app.js';
import { userInfo } from 'node:os';

/** The `chartroom` command. Every command shares the services the HTTP API uses. */
const out = (s: string): void => void process.stdout.write(s + "\n");
const err = (s: string) => process.stderr.write(s + '\n');

const cliActor = (): AuditActor => ({ type: 'system', name: `cli:${safeOsUser()}` });
function safeOsUser() {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError('Give the password on standard input, e.g. `printf %s "$PASSWORD" | chartroom user create ...`.');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

class UsageError extends Error {}

async function withChartroom<T>(fn: (c: Chartroom, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const chartroom = await openChartroom(config, { logger: undefined });
  try {
    return await fn(chartroom, config);
  } finally {
    await chartroom.close();
  }
}

async function userId(c: Chartroom, username: string): Promise<string> {
  const user = await findUserByUsername(c, username);
  if (!user) throw new UsageError(`No user is named "${username}".`);
  return user.id;
}

export function buildCli(): Command {
  const program = new Command('chartroom')
    .description('Chartroom: software for the medical-records (HIM) department')
    .version(packageVersion)
    .showHelpAfterError()
    .exitOverride();

  program
    .command('serve')
    .description('Run the server (HTTP on HOST:PORT); migrations run first')
    .action(async () => {
      const config = loadConfig();
      const server = await startServer(config);
      if (server.adminPassword) {
        out('');
        out('  First start: created the user "admin".');
        out(config.adminPassword ? '  Its password is the one in CHARTROOM_ADMIN_PASSWORD.' : `  One-time password: ${server.adminPassword}`);
        out('  It must be changed at first log-in, and the administrator must set up MFA.');
        out('');
      }
      out(`Chartroom is serving on ${server.url} (${server.chartroom.dialect}, data in ${config.dataDir})`);
      const shutdown = (signal: string) => {
        server.chartroom.logger.info({ signal }, 'shutting down');
        server.stop().then(() => process.exit(0), () => process.exit(1));
      };
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      await new Promise(() => {});
    });

  program
    .command('migrate')
    .description('Apply pending database migrations and exit')
    .action(async () => {
      await withChartroom(async (c) => out(`Database is up to date (${c.dialect}).`));
    });

  const user = program.command('user').description('Manage user accounts');
  user
    .command('create')
    .description('Create a user; the password is read from standard input')
    .requiredOption('--username <username>', 'log-in name')
    .requiredOption('--role <role>', `one of: ${ROLES.join(', ')}`)
    .option('--display-name <name>', 'full name shown in the app')
    .action(async (o: { username: string; role: string; displayName?: string }) => {
      const password = await readStdin();
      await withChartroom(async (c) => {
        const { user: created } = await createUser(c, cliActor(), { username: o.username, role: o.role, displayName: o.displayName ?? o.username, password });
        out(`Created user ${created.username} (${created.role}).`);
      });
    });
  user
    .command('unlock')
    .description('Unlock a user locked out by failed log-ins')
    .requiredOption('--username <username>', 'log-in name')
    .action((o: { username: string }) =>
      withChartroom(async (c) => {
        await unlockUser(c, cliActor(), await userId(c, o.username));
        out(`Unlocked ${o.username}.`);
      }),
    );
  user
    .command('reset-password')
    .description('Give a user a new one-time password (printed), to be changed at next log-in')
    .requiredOption('--username <username>', 'log-in name')
    .option('--stdin', 'read the new password from standard input instead')
    .action(async (o: { username: string; stdin?: boolean }) => {
      const chosen = o.stdin ? await readStdin() : undefined;
      await withChartroom(async (c) => {
        const { temporaryPassword } = await resetPassword(c, cliActor(), await userId(c, o.username), chosen);
        out(temporaryPassword ? `One-time password for ${o.username}: ${temporaryPassword}` : `Password of ${o.username} reset.`);
      });
    });

  program
    .command('api-client')
    .description('Manage API clients (OAuth 2.0 client credentials)')
    .command('create')
    .description('Create an API client; prints {"client_id","client_secret"} once')
    .requiredOption('--name <name>', 'the system that will call the API')
    .requiredOption('--role <role>', `one of: ${ROLES.join(', ')}`)
    .action(async (o: { name: string; role: string }) => {
      await withChartroom(async (c) => out(JSON.stringify(await createApiClient(c, cliActor(), o.name, o.role))));
    });

  program
    .command('audit')
    .description('The audit trail')
    .command('verify')
    .description('Check the hash chain of every audit event; exits non-zero naming the first broken event')
    .action(() =>
      withChartroom(async (c) => {
        const verdict = await verifyAuditChain(c.db, { sqlitePath: c.sqlitePath });
        if (verdict.ok) {
          out(`Audit trail verified: ${verdict.events} events, chain intact.`);
        } else {
          err(`Audit trail BROKEN at event ${verdict.brokenAt.seq}${verdict.brokenAt.id ? ` (id ${verdict.brokenAt.id})` : ''}: ${verdict.problem}.`);
          err(`${verdict.events} events before it verified.`);
          process.exitCode = 3;
        }
      }),
    );
  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  try {
    await buildCli().parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (e instanceof ConfigError || e instanceof UsageError) {
      err(e.message);
      return 2;
    }
    if (isDomainError(e)) {
      err(e.detail);
      for (const f of e.fieldErrors) err(`  ${f.field}: ${f.message}`);
      return 1;
    }
    err(`Failed: ${(e as Error).message ?? String(e)}`);
    return 1;
  }
}

const invokedDirectly = process.argv[1] && /(?:chartroom(?:\.js)?|main\.[jt]s)$/.test(process.argv[1]);
if (invokedDirectly) {
  runCli(process.argv.slice(2)).then((code) => {
    if (code !== 0) process.exit(code);
  });
}
