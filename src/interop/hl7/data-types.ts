import type { Er7Reader } from './er7.js';

/**
 * HL7 v2 data types this interface reads (DTM, XPN, XTN, CX/HD), as small pure functions over one
 * raw field repetition.
 */

/** A DTM/TS as an ISO date (YYYY-MM-DD), or undefined when it is not a real date. */
export function hl7Date(value: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})/.exec(value);
  if (!m) return undefined;
  const iso = `${m[1]}-${m[2]}-${m[3]}`;
  return !Number.isNaN(Date.parse(iso)) && new Date(iso).toISOString().slice(0, 10) === iso ? iso : undefined;
}

/**
 * A DTM/TS as an ISO instant in UTC. A time without an offset is taken as UTC: senders that send
 * local time without an offset should be configured to send one (docs/hl7.md).
 */
export function hl7Instant(value: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})?(\d{2})?(\d{2})?(\.\d{1,4})?([+-]\d{4})?$/.exec(value.trim());
  if (!m || !hl7Date(value)) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', offset] = m;
  const ms = frac ? Number(`0${frac}`) * 1000 : 0;
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Math.round(ms));
  if (Number.isNaN(local)) return undefined;
  let shift = 0;
  if (offset) shift = (offset[0] === '-' ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(3, 5))) * 60_000;
  return new Date(local - shift).toISOString();
}

export interface PersonName {
  family: string;
  given: string;
  middle: string;
  suffix: string;
  type: string;
}

/** XPN: family (FN.1) ^ given ^ middle ^ suffix ^ prefix ^ degree ^ name type. */
export function personName(r: Er7Reader, rep: string): PersonName {
  return { family: r.component(rep, 1), given: r.component(rep, 2), middle: r.component(rep, 3), suffix: r.component(rep, 4), type: r.component(rep, 7) };
}

/** XCN (a provider): id ^ family ^ given. */
export function providerOf(r: Er7Reader, rep: string | undefined): { code: string | null; family: string | null; given: string | null } | null {
  if (!rep) return null;
  const code = r.component(rep, 1) || null;
  const family = r.component(rep, 2) || null;
  const given = r.component(rep, 3) || null;
  return code || family || given ? { code, family, given } : null;
}

export interface TelecomValue {
  number?: string;
  email?: string;
  use: string;
  equipment: string;
}

/** XTN: the number (XTN.1, or country/area/local XTN.5-7), its use code and equipment, or an e-mail. */
export function telecom(r: Er7Reader, rep: string): TelecomValue {
  const use = r.component(rep, 2);
  const equipment = r.component(rep, 3);
  const email = r.component(rep, 4);
  if (email || equipment === 'Internet' || equipment === 'X.400' || use === 'NET') return { email: email || r.component(rep, 1), use, equipment };
  const area = r.component(rep, 6);
  const local = r.component(rep, 7);
  const country = r.component(rep, 5);
  const number = area && local ? `${country ? `+${country} ` : ''}(${area}) ${local}` : r.component(rep, 1);
  return { number: number || undefined, use, equipment };
}

export interface AssigningAuthority {
  namespace: string;
  universalId: string;
  universalIdType: string;
}

/** HD inside a CX (CX.4): namespace & universal id & its type. */
export function assigningAuthority(r: Er7Reader, rep: string, component = 4): AssigningAuthority {
  const [namespace = '', universalId = '', universalIdType = ''] = r.components(rep, component);
  return { namespace, universalId, universalIdType };
}

/**
 * The identifier system of another facility's assigning authority, as a URI: an ISO OID as
 * `urn:oid:<oid>`, a UUID as `urn:uuid:<uuid>`, a URI as itself, else the namespace as
 * `urn:chartroom:hl7v2:aa:<namespace>` (percent-encoded). docs/hl7.md lists the same rules.
 */
export function identifierSystem(aa: AssigningAuthority): string | undefined {
  const type = aa.universalIdType.toUpperCase();
  if (aa.universalId && type === 'ISO' && /^[0-2](\.\d+)+$/.test(aa.universalId)) return `urn:oid:${aa.universalId}`;
  if (aa.universalId && type === 'UUID') return `urn:uuid:${aa.universalId.toLowerCase()}`;
  if (aa.universalId && type === 'URI') return aa.universalId;
  if (aa.namespace) return `urn:chartroom:hl7v2:aa:${encodeURIComponent(aa.namespace)}`;
  if (aa.universalId) return `urn:chartroom:hl7v2:aa:${encodeURIComponent(aa.universalId)}`;
  return undefined;
}

/** HL7 identifier types (table 0203) we keep as they are; any other patient identifier is kept as PI. */
const KEPT_IDENTIFIER_TYPES = ['MR', 'MB', 'PI', 'DL', 'PPN', 'AN'] as const;

export type PatientIdentifier =
  | { kind: 'mrn'; value: string }
  | { kind: 'ssn'; value: string }
  | { kind: 'other'; system: string; value: string; type: (typeof KEPT_IDENTIFIER_TYPES)[number] };

/**
 * One CX of PID-3 or MRG-1: our MRN (assigning authority = our MRN system), an SSN (type SS), or
 * another facility's identifier under its assigning authority's URI; without an assigning
 * authority the identifier is the sending facility's own.
 */
export function patientIdentifier(r: Er7Reader, rep: string, ownMrnSystem: string, sendingFacility: string): PatientIdentifier | undefined {
  const value = r.component(rep, 1);
  if (!value) return undefined;
  const type = r.component(rep, 5).toUpperCase();
  if (type === 'SS') return { kind: 'ssn', value };
  const aa = assigningAuthority(r, rep);
  if (aa.namespace === ownMrnSystem || aa.universalId === ownMrnSystem) return { kind: 'mrn', value };
  const system = identifierSystem(aa) ?? identifierSystem({ namespace: sendingFacility, universalId: '', universalIdType: '' });
  if (!system) return undefined;
  const kept = KEPT_IDENTIFIER_TYPES.find((t) => t === type) ?? 'PI';
  return { kind: 'other', system, value, type: kept };
}
