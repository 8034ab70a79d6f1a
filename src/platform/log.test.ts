import { describe, expect, it } from 'vitest';
import { withoutSecrets } from './log.js';

describe('log lines', () => {
  it('mask a path segment that looks like a download token, and keep ids', () => {
    const token = 'q3Vb9Xz0_-' + 'a'.repeat(33);
    expect(withoutSecrets(`/api/public/downloads/${token}`)).toBe('/api/public/downloads/[secret]');
    expect(withoutSecrets(`/download/${token}`)).toBe('/download/[secret]');
    expect(withoutSecrets('/api/documents/01a2130d-c4c7-752f-9b3f-b7e22f1a759e/content')).toBe('/api/documents/01a2130d-c4c7-752f-9b3f-b7e22f1a759e/content');
  });
});
