/** Release packets: build, quality check and release of a request's records. What other capabilities may use. */
import { registerBlobsInUse } from '../../documents/index.js';
import { packetBlobAddresses } from './packet-record.js';

registerBlobsInUse('release-packets', packetBlobAddresses);

export { releasePacketRoutes } from './routes.js';
export { assemblePacket, type Packet, type PacketPart, type PacketPage, type PacketPlan } from './assembly.js';
export { buildPacket, type PacketRedaction } from './packet-build.js';
export { checkPacket, pagesAllConfirmed, type QualityCheck } from './quality-check.js';
export { releasePacket, DISCLOSURE_KIND_OF, type PacketDelivery, type ReleasedPacket } from './release-step.js';
export { readPacket, readPacketPdf, packetPageImage } from './packet-reading.js';
export { readDocumentPages, documentPageImage, type DocumentPages } from './document-preview.js';
export { makeElectronicCopy, PACKET_FILE_FORMATS, type PacketFileFormat, type ElectronicCopy } from './electronic-copy.js';
export type { PacketView } from './packet-record.js';
