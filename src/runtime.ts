import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import type { DB } from './schema.js';
import { connectDatabase } from './platform/db/connection.js';
import { migrateToLatest } from './platform/db/migrate.js';
import { createKeyring, loadMasterKey, type Keyring } from './platform/crypto.js';
import { createFileBlobStore, createS3BlobStore, type BlobStore } from './platform/blobs/index.js';
import { systemClock, type Clock } from './platform/clock.js';
import { createLogger } from './platform/log.js';
import { migrations } from './migrations/index.js';
import { countUsers, createUser, resetPassword } from './access/users.js';
import { generateTemporaryPassword } from './access/passwords.js';
import { SYSTEM_ACTOR } from './audit/actions.js';
// Capabilities that link records to patients register with the MPI's merge when loaded.
import './encounters/index.js';
import './documents/index.js';
// ... and those that keep content of their own register it with the orphan sweep.
import './release/requests/index.js';
import './release/disclosures/index.js';
import './release/amendments/index.js';
import './release/delivery/index.js';
import './release/packet/index.js';
import './release/fees/index.js';

export interface Chartroom extends AppContext {
  close(): Promise<void>;
}

export interface OpenOptions {
  clock?: Clock;
  logger?: Logger;
  /** PostgreSQL schema (tests). */
  schema?: string;
  migrate?: boolean;
}

/** Opens the data dir and database, runs pending migrations, and returns the services' context. */
export async function openChartroom(config: Config, options: OpenOptions = {}): Promise<Chartroom> {
  const database = connectDatabase<DB>({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, schema: options.schema });
  try {
    if (options.migrate !== false) await migrateToLatest(database.db, migrations);
  } catch (err) {
    await database.destroy();
    throw err;
  }
  const keyring = createKeyring(loadMasterKey(config.dataDir, config.masterKeyHex));
  return {
    db: database.db,
    dialect: database.dialect,
    sqlitePath: database.sqlitePath,
    clock: options.clock ?? systemClock,
    keyring,
    blobs: openBlobStore(config, keyring),
    config,
    logger: options.logger ?? createLogger(config.logLevel),
    close: () => database.destroy(),
  };
}

/** The blob store the configuration names (docs/operations.md#the-blob-store). */
export function openBlobStore(config: Config, keyring: Keyring): BlobStore {
  const s3 = config.blobStore;
  if (s3.kind === 'file') return createFileBlobStore(join(config.dataDir, 'blobs'), keyring);
  return createS3BlobStore({
    bucket: s3.bucket, prefix: s3.prefix,
    client: {
      endpoint: s3.endpoint, region: s3.region, credentials: s3.credentials, forcePathStyle: s3.forcePathStyle,
      // Checksums only where S3 requires them: many S3-compatible servers do not take the SDK's newer default trailers.
      requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
    },
  }, keyring);
}

/**
 * First start: with no users, creates `admin` with a one-time password (or CHARTROOM_ADMIN_PASSWORD),
 * to be changed at first log-in. Answers the password to print, or undefined when users exist.
 */
export async function ensureFirstAdmin(ctx: AppContext): Promise<string | undefined> {
  if ((await countUsers(ctx)) > 0) return undefined;
  const password = ctx.config.adminPassword ?? generateTemporaryPassword(20);
  const { user } = await createUser(ctx, SYSTEM_ACTOR, { username: 'admin', displayName: 'Administrator', role: 'admin', password });
  // A given password is kept but still must be changed at first log-in.
  await resetPassword(ctx, SYSTEM_ACTOR, user.id, password);
  return password;
}
