import { v7 } from 'uuid';

/** Row ids are UUIDv7: unique across instances and ordered by creation time. */
export const newId = (): string => v7();
