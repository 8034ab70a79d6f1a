import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Clock } from './platform/clock.js';
import type { Keyring } from './platform/crypto.js';
import type { BlobStore } from './platform/blobs/index.js';
import type { DialectName } from './platform/db/connection.js';
import type { DB } from './schema.js';

/** What every capability's services are given: the database, the clock, the keys, the blob store, the settings. */
export interface AppContext {
  db: Kysely<DB>;
  dialect: DialectName;
  /** The SQLite database file, when the dialect is SQLite. */
  sqlitePath?: string;
  clock: Clock;
  keyring: Keyring;
  /** Where document content is kept (encrypted, content-addressed). */
  blobs: BlobStore;
  config: Config;
  logger: Logger;
}
