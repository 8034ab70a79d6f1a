/** The HL7 v2 interface's message store: see migrations/0006-interface-messages.ts. */
export interface InterfaceMessagesTable {
  id: string;
  /** An `InterfaceMessageStatus`. */
  status: string;
  receivedAt: string;
  processedAt: string | null;
  controlId: string | null;
  sendingApplication: string | null;
  sendingFacility: string | null;
  messageType: string | null;
  triggerEvent: string | null;
  version: string | null;
  ackCode: string | null;
  /** HL7 table 0357 code, the ERR location, and a text naming the field (never its value). */
  errorCode: string | null;
  errorLocation: string | null;
  errorText: string | null;
  patientId: string | null;
  visitNumber: string | null;
  dedupKey: string | null;
  /** AES-256-GCM sealed raw ER7 text and parse result (JSON): both hold PHI. */
  rawSealed: string;
  parsedSealed: string | null;
  attempts: number;
  /** A corrected copy points at the original it replaces, and the original at its correction. */
  replaces: string | null;
  replacedBy: string | null;
  correctedBy: string | null;
}

export interface InterfaceTables {
  interfaceMessages: InterfaceMessagesTable;
}
