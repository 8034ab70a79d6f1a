import type { Compilable, CompiledQuery, Kysely, QueryResult, Transaction } from 'kysely';

/** Stands for a value while a fixed statement is built; compiled, it is one bound parameter. */
class Slot {
  constructor(readonly name: string) {}
}

type Executor<DB> = Kysely<DB> | Transaction<DB>;

/**
 * A statement whose shape never changes (the same table, columns and conditions each time), built
 * with Kysely's query builder and compiled once per database, then run with new values. A hot path
 * that runs the same few statements many times a second (an HL7 feed) spares building, the
 * CamelCase plugin's rewrite and compiling of SQL it already has. `build` names each value with
 * `v('name')` and gets it back typed; `run` binds the values by name. Scalar values only: a list
 * (`where(..., 'in', list)`) changes the SQL with its length, so it is no fixed statement.
 *
 * ```ts
 * const headUpdate = fixedStatement<DB, { seq: number; hash: string }>((db, v) =>
 *   db.updateTable('auditChainHead').set({ seq: v('seq'), hash: v('hash') }).where('id', '=', 1));
 * await headUpdate.run(trx, { seq, hash });
 * ```
 */
export function fixedStatement<DB, V extends Record<string, unknown>, R = unknown>(
  build: (db: Executor<DB>, v: <K extends keyof V & string>(name: K) => V[K]) => Compilable<R>,
): FixedStatement<DB, V, R> {
  return new FixedStatement(build);
}

export class FixedStatement<DB, V extends Record<string, unknown>, R> {
  /** Compiled per database (its adapter stands for its dialect and plugins): SQLite and PostgreSQL differ. */
  readonly #compiled = new WeakMap<object, { query: CompiledQuery<R>; bind: ((values: V) => unknown)[] }>();

  constructor(private readonly build: (db: Executor<DB>, v: <K extends keyof V & string>(name: K) => V[K]) => Compilable<R>) {}

  async run(executor: Executor<DB>, values: V): Promise<QueryResult<R>> {
    const { query, bind } = this.#compile(executor);
    return executor.executeQuery<R>({ ...query, parameters: bind.map((value) => value(values)) });
  }

  /** The first row, or undefined. */
  async first(executor: Executor<DB>, values: V): Promise<R | undefined> {
    return (await this.run(executor, values)).rows[0];
  }

  #compile(executor: Executor<DB>) {
    const key = executor.getExecutor().adapter;
    let compiled = this.#compiled.get(key);
    if (!compiled) {
      const query = this.build(executor, ((name: string) => new Slot(name)) as never).compile();
      // Each bound parameter is either one of the named values or a constant of the statement itself.
      const bind = query.parameters.map((p) => (p instanceof Slot ? (values: V) => values[p.name] : () => p));
      compiled = { query, bind };
      this.#compiled.set(key, compiled);
    }
    return compiled;
  }
}
