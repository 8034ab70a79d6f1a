import { getRandomValues } from 'node:crypto';
import { v7 } from 'uuid';

/**
 * Row ids are UUIDv7: unique across instances and ordered by creation time (monotonic within this
 * process, as RFC 9562 method 1 counts within a millisecond). Random bytes are drawn from the system
 * in blocks of 4 KiB rather than 16 bytes an id: a bulk import makes several ids per patient.
 */
const pool = new Uint8Array(4096);
let taken = pool.length;
let lastMsecs = -Infinity;
let seq = 0;

function random16(): Uint8Array {
  if (taken + 16 > pool.length) {
    getRandomValues(pool);
    taken = 0;
  }
  const bytes = pool.subarray(taken, taken + 16);
  taken += 16;
  return bytes;
}

export function newId(): string {
  const random = random16();
  const now = Date.now();
  if (now > lastMsecs) {
    // A fresh millisecond starts the 31-bit counter at a random value (its top bit clear, leaving room to count).
    seq = ((random[6] & 0x7f) << 24) | (random[7] << 16) | (random[8] << 8) | random[9];
    lastMsecs = now;
  } else {
    seq = (seq + 1) | 0;
    if (seq === 0) lastMsecs++;
  }
  return v7({ random, msecs: lastMsecs, seq });
}
