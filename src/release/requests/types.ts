import type { Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB } from '../../schema.js';

/** The database or a transaction in it. */
export type Executor = AppContext['db'] | Transaction<DB>;
