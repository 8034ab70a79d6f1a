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
import { importPatients, IMPORT_FORMATS, DEFAULT_IMPORT_BATCH, type ImportFormat } from './patients/import.js';
import { scanForDuplicates } from './patients/duplicates.js';
import { showProgress } from './platform/progress.js';
import { sweepOrphanBlobs } from './documents/orphan-sweep.js';

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

const count = (n: number) => Math.round(n).toLocaleString('en-US');

function positiveInteger(value: string, option: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`${option} must be a whole number of at least 1.`);
  return n;
}

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
    .description('Run the server (HTTP on HOST:PORT, HL7 v2 MLLP on HOST:HL7_PORT); migrations run first')
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
      out(`Chartroom is serving on ${server.url} (${server.chartroom.dialect}, data in ${config.dataDir}); HL7 v2 (MLLP) on port ${server.hl7Port}`);
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

  program
    .command('import')
    .description('Bring records in from other systems')
    .command('patients')
    .description('Import patients from FHIR Patient NDJSON (bulk data) or CSV (docs/import.md); every rejected row is reported with why')
    .argument('<file>', 'the file: .ndjson or .jsonl (FHIR Patient resources, one a line), or .csv')
    .option('--format <format>', `${IMPORT_FORMATS.join(' or ')} (default: from the file's extension)`)
    .option('--rejects <file>', 'where to write the rejected rows (default: FILE.rejects.csv beside the input)')
    .option('--check-duplicates', 'compare each patient with the index and queue suspected duplicates for review')
    .option('--batch-size <n>', 'patients per transaction', String(DEFAULT_IMPORT_BATCH))
    .action(async (file: string, o: { format?: string; rejects?: string; checkDuplicates?: boolean; batchSize: string }) => {
      if (o.format && !(IMPORT_FORMATS as readonly string[]).includes(o.format)) throw new UsageError(`--format must be ${IMPORT_FORMATS.join(' or ')}.`);
      const batchSize = positiveInteger(o.batchSize, '--batch-size');
      await withChartroom(async (c) => {
        const progress = showProgress('Importing');
        // The first Ctrl-C finishes the batch in hand and reports; a second one ends the process at once.
        const stop = new AbortController();
        const onInterrupt = () => stop.abort();
        process.once('SIGINT', onInterrupt);
        const summary = await importPatients(c, cliActor(), file, {
          format: o.format as ImportFormat | undefined,
          rejectsFile: o.rejects,
          checkDuplicates: o.checkDuplicates,
          batchSize,
          signal: stop.signal,
          onProgress: (p) => progress.update(p.bytesRead, p.totalBytes, `${count(p.imported)} imported, ${count(p.rejected)} rejected`),
        }).catch((e: unknown) => {
          // A bad file, header or option is the caller's to fix: a usage error, not a failed import.
          if (isDomainError(e) && e.kind === 'invalid' && e.code.startsWith('import.')) throw new UsageError(e.detail);
          throw e;
        }).finally(() => {
          process.removeListener('SIGINT', onInterrupt);
          progress.stop();
        });
        if (summary.stoppedEarly) {
          out(`Stopped on request after line ${count(summary.lastLine)}: every line up to it was imported or rejected, none after it.`);
        }
        const rate = summary.seconds > 0 ? summary.imported / summary.seconds : summary.imported;
        out(
          `Imported ${count(summary.imported)} patient${summary.imported === 1 ? '' : 's'}, rejected ${count(summary.rejected)}` +
            `${summary.rejected ? ` (see ${summary.rejectsFile})` : ''} in ${summary.seconds.toFixed(1)} s (${count(rate)} patients/s)`,
        );
        out(
          o.checkDuplicates
            ? `Queued ${count(summary.duplicatesQueued)} suspected duplicate pair${summary.duplicatesQueued === 1 ? '' : 's'} for review on the Duplicates page.`
            : 'Run the duplicate scan (Duplicates page or chartroom patients scan-duplicates) to find duplicates.',
        );
        if (summary.rejected > 0 || summary.stoppedEarly) process.exitCode = 1;
      });
    });

  program
    .command('documents')
    .description('Document storage')
    .command('sweep-orphans')
    .description('Remove stored content no document names (left by a crash between storing a file and filing it), and unfinished writes')
    .option('--grace-hours <n>', 'leave alone anything written more recently than this', '24')
    .action((o: { graceHours: string }) => {
      const graceHours = positiveInteger(o.graceHours, '--grace-hours');
      return withChartroom(async (c) => {
        // File times are the filesystem's, so the cut-off is wall-clock time.
        const { removed, incomplete } = await sweepOrphanBlobs(c, new Date(Date.now() - graceHours * 3_600_000));
        out(`Removed ${count(removed)} unreferenced blob${removed === 1 ? '' : 's'} and ${count(incomplete)} unfinished write${incomplete === 1 ? '' : 's'}.`);
      });
    });

  program
    .command('patients')
    .description('The master patient index')
    .command('scan-duplicates')
    .description('Compare every active patient with the index and queue suspected duplicates for the Duplicates page')
    .option('--batch-size <n>', 'patients per scan step', '500')
    .action((o: { batchSize: string }) => {
      const batchSize = positiveInteger(o.batchSize, '--batch-size');
      return withChartroom(async (c) => {
        const { n } = await c.db.selectFrom('patients').select((eb) => eb.fn.countAll<number | string>().as('n')).where('status', '=', 'active').executeTakeFirstOrThrow();
        const total = Number(n);
        const progress = showProgress('Scanning');
        let scanned = 0;
        let queued = 0;
        let afterId: string | null = null;
        try {
          do {
            const step = await scanForDuplicates(c, cliActor(), { afterId, batchSize });
            scanned += step.scanned;
            queued += step.queued;
            afterId = step.nextAfterId;
            progress.update(scanned, total, `${count(scanned)} of ${count(total)} patients, ${count(queued)} pairs queued`);
          } while (afterId);
        } finally {
          progress.stop();
        }
        out(`Scanned ${count(scanned)} patients; queued ${count(queued)} new suspected duplicate pair${queued === 1 ? '' : 's'} for review on the Duplicates page.`);
      });
    });
  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  try {
    await buildCli().parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    // Help and version exit 0; anything else commander refuses (unknown option, missing argument) is a usage error.
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
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
