import { Migrator, sql, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import { isPostgres } from './connection.js';

/** Runs every migration not yet applied, in name order. Throws naming the migration that failed. */
export async function migrateToLatest(db: Kysely<any>, migrations: Record<string, Migration>): Promise<string[]> {
  // On PostgreSQL, name the schema the migration tables live in: otherwise Kysely looks for them in
  // every schema and takes another schema's tables (another installation or test) for ours.
  const schema = isPostgres(db) ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema : undefined;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  let result: MigrationResultSet = await migrator.migrateToLatest();
  // Kysely finds its migration tables by listing every schema's tables and columns, with privilege
  // checks on each: a schema another installation (or test) drops or alters at that moment fails the
  // listing ("schema ... does not exist", 3F000; or a table or column of it gone, 42P01, 42703)
  // before any migration ran. Nothing was applied: try again.
  for (let attempt = 1; attempt < 5 && result.error && !result.results?.length && isOtherSchemaGone(result.error, schema); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    result = await migrator.migrateToLatest();
  }
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${String((result.error as Error).message ?? result.error)}`);
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

const VANISHED_UNDER_LISTING = new Set(['3F000', '42P01', '42703']);

function isOtherSchemaGone(error: unknown, ours: string | undefined): boolean {
  const e = error as { code?: string; message?: string };
  return VANISHED_UNDER_LISTING.has(e.code ?? '') && typeof e.message === 'string' && (!ours || !e.message.includes(`"${ours}"`));
}
