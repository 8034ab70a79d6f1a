import type { Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB } from '../../schema.js';
import { recordAuditEvent } from '../../audit/trail.js';
import { actorOf, type Principal } from '../../access/principal.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { assertRuleTarget, assertRuleTerms, type RetentionRule, type RuleScope, type RuleTerms } from './retention-rules.js';

type Executor = AppContext['db'] | Transaction<DB>;

const ORDER: Record<RuleScope, number> = { default: 0, category: 1, type: 2 };

/** Every retention rule: the default first, then categories, then types. */
export async function loadRetentionRules(db: Executor): Promise<RetentionRule[]> {
  const rows = await db.selectFrom('retentionRules').selectAll().execute();
  return rows.map((r) => ({ ...r, scope: r.scope as RuleScope, adultYears: Number(r.adultYears), majorityAge: Number(r.majorityAge), minorYearsAfterMajority: Number(r.minorYearsAfterMajority) }))
    .sort((a, b) => ORDER[a.scope] - ORDER[b.scope] || a.appliesTo.localeCompare(b.appliesTo));
}

/**
 * Sets the rule for a type, a category or the default (creating it, or changing its terms). Every
 * document's retention date is computed again from the new rules. Refused below the federal floor.
 */
export async function saveRetentionRule(ctx: AppContext, principal: Principal, rule: { scope: RuleScope; appliesTo: string } & RuleTerms): Promise<RetentionRule> {
  assertRuleTarget(rule.scope, rule.appliesTo);
  assertRuleTerms(rule);
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now().toISOString();
    const existing = await trx.selectFrom('retentionRules').select('id').where('scope', '=', rule.scope).where('appliesTo', '=', rule.appliesTo).executeTakeFirst();
    const saved: RetentionRule = {
      id: existing?.id ?? newId(), scope: rule.scope, appliesTo: rule.appliesTo, adultYears: rule.adultYears, majorityAge: rule.majorityAge,
      minorYearsAfterMajority: rule.minorYearsAfterMajority, updatedAt: now, updatedBy: principal.name,
    };
    if (existing) await trx.updateTable('retentionRules').set(saved).where('id', '=', existing.id).execute();
    else await trx.insertInto('retentionRules').values(saved).execute();
    await trx.deleteFrom('documentRetention').execute();
    await recordAuditEvent(trx, {
      actor: actorOf(principal), action: existing ? 'update' : 'create', recordType: 'retention_rule', recordId: saved.id,
      details: { scope: rule.scope, appliesTo: rule.appliesTo, adultYears: rule.adultYears, majorityAge: rule.majorityAge, minorYearsAfterMajority: rule.minorYearsAfterMajority },
    }, ctx.clock);
    return saved;
  });
}

/** Removes a type's or category's rule (the default stays): its documents fall back to the next rule. */
export async function removeRetentionRule(ctx: AppContext, principal: Principal, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('retentionRules').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('The retention rule');
    if (row.scope === 'default') throw new DomainError('conflict', 'retention.default-required', 'The default rule cannot be removed; change its terms instead.');
    await trx.deleteFrom('retentionRules').where('id', '=', id).execute();
    await trx.deleteFrom('documentRetention').execute();
    await recordAuditEvent(trx, { actor: actorOf(principal), action: 'delete', recordType: 'retention_rule', recordId: id, details: { scope: row.scope, appliesTo: row.appliesTo } }, ctx.clock);
  });
}
