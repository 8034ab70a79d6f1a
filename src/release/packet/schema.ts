/**
 * Release packets: each build of a request's packet is a version row (the PDF in the blob store,
 * encrypted), with its page map, the quality check and, once sent, how it was delivered.
 */
export interface ReleasePacketsTable {
  id: string;
  requestId: string;
  patientId: string;
  version: number;
  blobSha256: string;
  size: number;
  pageCount: number;
  /** JSON: PacketPage[] (where each page came from). */
  pages: string;
  /** JSON: the document ids enclosed. */
  documentIds: string;
  /** built | confirmed | rejected | released | superseded */
  status: string;
  builtBy: string;
  builtByName: string;
  builtAt: string;
  checkedBy: string | null;
  checkedByName: string | null;
  checkedAt: string | null;
  checkNote: string | null;
  /** JSON: the delivery (method and where), once released. */
  delivery: string | null;
  releasedAt: string | null;
}

export interface ReleasePacketTables {
  releasePackets: ReleasePacketsTable;
}
