/**
 * A Content-Disposition header for a stored file name: an ASCII fallback with anything unsafe
 * replaced, and the exact name in RFC 5987 form (`filename*`), so no quote, semicolon or line break
 * in a name can change the header.
 */
export function contentDisposition(kind: 'inline' | 'attachment', fileName: string): string {
  const base = fileName.split(/[/\\]/).pop() || 'document';
  const ascii = base.normalize('NFKD').replace(/[^\x20-\x7e]/g, '').replace(/["\\;%]/g, '_').trim() || 'document';
  const encoded = encodeURIComponent(base).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
