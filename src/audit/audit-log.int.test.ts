import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/support/chartroom.js';
import { auditEventsWhere, expectProblem, logIn, send, signedInUser, useTestApp } from '../../test/support/http.js';
import { createUserIn } from '../../test/support/accounts.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: the audit log for auditors`, () => {
    const { app, ctx } = useTestApp(dialect);

    it('filters by user, action and outcome, pages newest first, and says why a sign-in failed', async () => {
      const auditor = await signedInUser(app(), ctx(), 'log.auditor', 'auditor');
      await createUserIn(ctx(), { username: 'log.victim', role: 'records_clerk', password: 'Correct-horse-battery-9' });
      for (let i = 0; i < 3; i++) await logIn(app(), 'log.victim', 'wrong password guess');
      // Someone types a spreadsheet formula as the username: it is recorded as typed.
      for (let i = 0; i < 3; i++) await logIn(app(), '=cmd|calc', 'wrong password guess');
      const res = await send(app(), auditor.session, 'GET', '/api/audit-events?username=log.victim&action=login-failed&outcome=failure&limit=2');
      expect(res.statusCode, res.body).toBe(200);
      const page1 = res.json();
      expect(page1.events).toHaveLength(2);
      expect(page1.events[0].seq).toBeGreaterThan(page1.events[1].seq);
      expect(page1.events[0].details).toMatchObject({ reason: 'wrong-password', attempts: 3, locked: false });
      const page2 = (await send(app(), auditor.session, 'GET', `/api/audit-events?username=log.victim&action=login-failed&limit=2&before=${page1.nextBefore}`)).json();
      expect(page2.events).toHaveLength(1);
      expect(page2.nextBefore).toBeNull();
      const today = ctx().clock.now().toISOString().slice(0, 10);
      expect((await send(app(), auditor.session, 'GET', `/api/audit-events?username=%3Dcmd%7Ccalc&from=${today}&to=${today}`)).json().events.length).toBe(3);
      expect((await send(app(), auditor.session, 'GET', `/api/audit-events?username=%3Dcmd%7Ccalc&to=2000-01-01`)).json().events).toEqual([]);
    });

    it('exports CSV with formulas neutralised, and records the export', async () => {
      const auditor = await signedInUser(app(), ctx(), 'log.exporter', 'auditor');
      const res = await send(app(), auditor.session, 'GET', '/api/audit-events/export.csv?username=%3Dcmd%7Ccalc');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toMatch(/attachment; filename="audit-events-\d{4}-\d{2}-\d{2}\.csv"/);
      const [header, ...rows] = res.body.trim().split('\r\n');
      expect(header).toBe('seq,occurredAt,actorType,actorName,actorRole,ip,action,recordType,recordId,patientId,outcome,emergency,reason,details,userAgent,id');
      expect(rows).toHaveLength(3);
      expect(rows.every((r) => r.includes(`"'=cmd|calc"`))).toBe(true);
      expect(await auditEventsWhere(ctx(), { action: 'export', actorName: 'log.exporter' })).toHaveLength(1);
    });

    it('refuses a filter key or value it does not know, and a clerk', async () => {
      const auditor = await signedInUser(app(), ctx(), 'log.strict', 'auditor');
      expectProblem(await send(app(), auditor.session, 'GET', '/api/audit-events?orderBy=hash'), 400, 'request.invalid');
      expectProblem(await send(app(), auditor.session, 'GET', '/api/audit-events?action=drop-table'), 400, 'request.invalid');
      const clerk = await signedInUser(app(), ctx(), 'log.clerk', 'records_clerk');
      expectProblem(await send(app(), clerk.session, 'GET', '/api/audit-events'), 403, 'access.forbidden');
    });
  });
}
