import type { Migration } from 'kysely';
import * as access from './0001-access.js';
import * as audit from './0002-audit.js';
import * as patients from './0003-patients.js';
import * as namePhonetics from './0004-patient-name-phonetics.js';
import * as encounters from './0005-encounters.js';
import * as interfaceMessages from './0006-interface-messages.js';
import * as documents from './0007-documents.js';
import * as scanning from './0008-scanning.js';
import * as retention from './0009-retention.js';
import * as releaseRequests from './0010-release-requests.js';
import * as disclosuresAmendments from './0011-disclosures-amendments.js';
import * as releaseFees from './0013-release-fees.js';
import * as releaseDelivery from './0014-release-delivery.js';
import * as releasePackets from './0015-release-packets.js';

/** Every migration, by name; names sort in the order they apply. */
export const migrations: Record<string, Migration> = {
  '0001-access': access,
  '0002-audit': audit,
  '0003-patients': patients,
  '0004-patient-name-phonetics': namePhonetics,
  '0005-encounters': encounters,
  '0006-interface-messages': interfaceMessages,
  '0007-documents': documents,
  '0008-scanning': scanning,
  '0009-retention': retention,
  '0010-release-requests': releaseRequests,
  '0011-disclosures-amendments': disclosuresAmendments,
  '0013-release-fees': releaseFees,
  '0014-release-delivery': releaseDelivery,
  '0015-release-packets': releasePackets,
};
