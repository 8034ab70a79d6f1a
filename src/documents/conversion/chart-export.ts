import type { AppContext } from '../../context.js';
import type { Principal } from '../../access/principal.js';
import type { PatientView } from '../../patients/index.js';
import type { DocumentView } from '../document-record.js';
import { recordChartUse, selectChart, type ChartSelection } from './chart-selection.js';

export interface ExportedChart {
  patient: PatientView;
  /** In chart order, each with its current version's content, checked against its address. */
  documents: { document: DocumentView; bytes: Buffer }[];
}

/** The chart (or the documents chosen) with their content, for sending elsewhere: audited as an export naming the documents. */
export async function exportChart(ctx: AppContext, principal: Principal, patientId: string, selection: ChartSelection): Promise<ExportedChart> {
  const chart = await selectChart(ctx, principal, patientId, selection);
  const documents = [];
  for (const document of chart.documents) documents.push({ document, bytes: await ctx.blobs.get(document.content.sha256) });
  await recordChartUse(ctx, principal, chart, 'export', { bytes: documents.reduce((n, d) => n + d.bytes.length, 0) });
  return { patient: chart.patient, documents };
}
