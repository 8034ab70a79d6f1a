/** The HL7 v2 ADT interface: MLLP listener, message store and monitor. */
export { startHl7Listener } from './listener.js';
export { hl7MonitorRoutes } from './routes.js';
export { receiveMessage, MESSAGE_STATUSES, type MessageStatus, type ReceivedMessage } from './processing.js';
export { parseAdtMessage, ADT_TRIGGERS, type AdtMessage } from './adt-message.js';
export { frame, MllpDecoder } from './mllp.js';
