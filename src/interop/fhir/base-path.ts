/** Where the FHIR R4 API is served, under the server's address. */
export const FHIR_BASE_PATH = '/fhir/R4';
