import type { AccessTables } from './access/schema.js';
import type { AuditTables } from './audit/schema.js';
import type { PatientTables } from './patients/schema.js';
import type { EncounterTables } from './encounters/schema.js';
import type { InterfaceTables } from './interop/hl7/schema.js';
import type { DocumentTables } from './documents/schema.js';
import type { ScanningTables } from './documents/scanning/schema.js';
import type { RetentionTables } from './documents/retention/schema.js';
import type { ReleaseRequestTables } from './release/requests/schema.js';
import type { DisclosureTables } from './release/disclosures/schema.js';
import type { AmendmentTables } from './release/amendments/schema.js';
import type { FeeTables } from './release/fees/schema.js';
import type { ReleaseDeliveryTables } from './release/delivery/schema.js';
import type { ReleasePacketTables } from './release/packet/schema.js';

/** Every table of Chartroom, as each capability declares its own. */
export interface DB extends AccessTables, AuditTables, PatientTables, EncounterTables, InterfaceTables, DocumentTables, ScanningTables, RetentionTables,
  ReleaseRequestTables, DisclosureTables, AmendmentTables,
  FeeTables, ReleaseDeliveryTables, ReleasePacketTables {}
