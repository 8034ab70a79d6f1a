import { describe, expect, it } from 'vitest';
import { linkStatus } from './link-status.js';

const now = new Date('2026-11-25T12:00:00Z');
const fresh = { revokedAt: null, lockedAt: null, downloads: 0, maxDownloads: 3, expiresAt: '2026-12-09T12:00:00.000Z' };

describe('download link status', () => {
  it.each([
    ['active', {}],
    ['expired', { expiresAt: '2026-11-25T12:00:00.000Z' }],
    ['used-up', { downloads: 3 }],
    ['locked', { lockedAt: '2026-11-25T11:00:00.000Z', downloads: 3 }],
    ['revoked', { revokedAt: '2026-11-25T11:00:00.000Z', lockedAt: '2026-11-25T10:00:00.000Z', expiresAt: '2026-11-01T00:00:00.000Z' }],
  ] as const)('reads %s', (status, change) => {
    expect(linkStatus({ ...fresh, ...change }, now)).toBe(status);
  });
});
