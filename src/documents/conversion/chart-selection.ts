import type { AppContext } from '../../context.js';
import { recordAuditEvent } from '../../audit/trail.js';
import { actorOf, type Principal } from '../../access/principal.js';
import { assertPatientReadable, getPatientRow, toPatientView, type PatientView } from '../../patients/index.js';
import { invalid } from '../../platform/errors.js';
import { withCurrentVersions, type DocumentView } from '../document-record.js';
import { documentRowsOf, type DocumentFilters } from '../reading.js';

/** Which of a patient's documents go into a printed or exported chart: those chosen by id, or those a filter admits. */
export interface ChartSelection {
  documentIds?: string[];
  filters?: DocumentFilters;
}

export interface SelectedChart {
  patient: PatientView;
  /** In chart order: date of service, oldest first. */
  documents: DocumentView[];
  emergency: boolean;
}

/**
 * Opens the patient's record and picks the documents: the ones named (each must be this patient's;
 * entered-in-error ones only when named), or the ones the filters admit, leaving out those entered in
 * error unless the filter asks for that status. Current versions only.
 */
export async function selectChart(ctx: AppContext, principal: Principal, patientId: string, selection: ChartSelection): Promise<SelectedChart> {
  const row = await getPatientRow(ctx.db, patientId);
  const emergency = await assertPatientReadable(ctx, principal, row);
  let rows;
  if (selection.documentIds?.length) {
    const ids = [...new Set(selection.documentIds)];
    rows = await ctx.db.selectFrom('documents').selectAll().where('patientId', '=', patientId).where('id', 'in', ids).execute();
    if (rows.length !== ids.length) {
      throw invalid('chart.document-not-in-chart', "Some of the documents chosen are not in this patient's chart.", [{ field: 'documentIds', message: "Only this patient's documents." }]);
    }
  } else {
    const filters = selection.filters ?? {};
    const wantsEnteredInError = filters.status?.includes('entered-in-error') ?? false;
    rows = (await documentRowsOf(ctx.db, patientId, filters)).filter((r) => wantsEnteredInError || r.status !== 'entered-in-error');
  }
  if (!rows.length) throw invalid('chart.empty', 'No documents match: choose at least one document.', [{ field: 'documentIds', message: 'Choose at least one document.' }]);
  rows.sort((a, b) => a.serviceDate.localeCompare(b.serviceDate) || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  return { patient: toPatientView(row), documents: await withCurrentVersions(ctx.db, rows), emergency };
}

/** Records that a chart (or part of it) left the system: which documents, never what they say. */
export async function recordChartUse(ctx: AppContext, principal: Principal, chart: SelectedChart, action: 'print' | 'export', details: Record<string, string | number>): Promise<void> {
  await ctx.db.transaction().execute((trx) => recordAuditEvent(trx, {
    actor: actorOf(principal), action, patientId: chart.patient.id, recordType: 'chart', recordId: chart.patient.id, emergency: chart.emergency,
    details: { documents: chart.documents.map((d) => `${d.id}.${d.version}`).join(','), count: chart.documents.length, ...details },
  }, ctx.clock));
}
