/**
 * Visits. `encounters` holds a visit's current state with the columns the census and visit lists
 * read (status, class, unit, dates); the rest (providers, sources, diagnoses) is JSON in `details`.
 * Every bed the patient occupied is a row of `encounter_locations`; every event, with the visit
 * before and after, a row of `encounter_events`.
 */
export interface EncountersTable {
  id: string;
  patientId: string;
  visitNumber: string;
  class: string;
  status: string;
  /** Optimistic concurrency: every event adds one. */
  version: number;
  service: string | null;
  unit: string | null;
  room: string | null;
  bed: string | null;
  plannedAt: string | null;
  admittedAt: string | null;
  dischargedAt: string | null;
  disposition: string | null;
  details: string;
  createdAt: string;
  updatedAt: string;
}

export interface EncounterLocationsTable {
  id: string;
  encounterId: string;
  unit: string;
  room: string | null;
  bed: string | null;
  fromAt: string;
  toAt: string | null;
  /** 1 when a cancelled transfer took this stay back. */
  cancelled: number;
}

export interface EncounterEventsTable {
  id: string;
  encounterId: string;
  version: number;
  type: string;
  occurredAt: string | null;
  recordedAt: string;
  source: string;
  actor: string;
  before: string | null;
  after: string;
}

/** The hospital's providers, by NPI and by its own code. */
export interface ProvidersTable {
  id: string;
  npi: string | null;
  code: string | null;
  family: string;
  given: string | null;
  credentials: string | null;
  specialty: string | null;
  active: number;
  createdAt: string;
  updatedAt: string;
}

/** Departments, units, rooms and beds, as a tree; `path` joins the codes ("4W/401/A"). */
export interface LocationsTable {
  id: string;
  kind: string;
  code: string;
  name: string;
  parentId: string | null;
  path: string;
  active: number;
  createdAt: string;
  updatedAt: string;
}

export interface EncounterTables {
  encounters: EncountersTable;
  encounterLocations: EncounterLocationsTable;
  encounterEvents: EncounterEventsTable;
  providers: ProvidersTable;
  locations: LocationsTable;
}
