/** The HL7 v2 interface monitor's messages, as the server answers them (docs/hl7.md). */
export const MESSAGE_STATUSES = ['processed', 'error', 'held', 'duplicate', 'rejected'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export interface MessageSummary {
  id: string;
  status: MessageStatus;
  receivedAt: string;
  processedAt: string | null;
  controlId: string | null;
  sendingApplication: string | null;
  sendingFacility: string | null;
  messageType: string | null;
  triggerEvent: string | null;
  version: string | null;
  ackCode: string | null;
  errorCode: string | null;
  errorLocation: string | null;
  errorText: string | null;
  patientId: string | null;
  visitNumber: string | null;
  attempts: number;
  replaces: string | null;
  replacedBy: string | null;
  correctedBy: string | null;
}

export interface MessagePage {
  messages: MessageSummary[];
  total: number;
}

export interface MessageDetail extends MessageSummary {
  raw: string;
  segments: { name: string; fields: string[] }[];
  parsed: { warnings?: { location: string; text: string }[]; allergies?: unknown[] } | null;
}

export const isReprocessable = (m: MessageSummary) => ['error', 'held', 'rejected'].includes(m.status) && !m.replacedBy;
