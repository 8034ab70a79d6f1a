import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readLines, readNdjsonPatients } from './import-ndjson.js';

const dir = mkdtempSync(join(tmpdir(), 'chartroom-ndjson-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const fileWith = (content: string | Buffer) => {
  const file = join(dir, `f${files++}.ndjson`);
  writeFileSync(file, content);
  return file;
};
async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('reading NDJSON', () => {
  it('answers every non-blank line with its number, whatever the chunk boundaries, line endings and characters', async () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !/[\r\n\uFEFF]/.test(s));
    await fc.assert(
      fc.asyncProperty(fc.array(text, { maxLength: 30 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), fc.integer({ min: 1, max: 64 }), async (lines, eol, trailing, chunkBytes) => {
        const content = lines.join(eol) + (trailing ? eol : '');
        const position = { bytesRead: 0 };
        const read = await collect(readLines(fileWith(content), position, { chunkBytes }));
        const expected = lines.map((t, i) => ({ line: i + 1, text: t })).filter((l) => l.text.trim());
        expect(read).toEqual(expected);
        expect(position.bytesRead).toBe(Buffer.byteLength(content));
      }),
      { numRuns: 150 },
    );
  });

  it('drops a byte-order mark and refuses a line too long to hold, then carries on', async () => {
    const file = fileWith(`\uFEFF{"a":1}\n${'x'.repeat(300)}\n{"b":2}`);
    expect(await collect(readLines(file, { bytesRead: 0 }, { chunkBytes: 16, maxLineBytes: 100 }))).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, tooLong: true },
      { line: 3, text: '{"b":2}' },
    ]);
  });

  it('reports bad JSON, other resources and missing elements by line and FHIR element, without quoting the line', async () => {
    const file = fileWith([
      '{"resourceType":"Patient","name":[{"family":"Nakamura","given":["Aiko"]}],"gender":"female","birthDate":"1980-06-01"}',
      '{"resourceType":"Patient","name":[{"family":"Secret-Name"', // cut short
      '{"resourceType":"Observation","status":"final"}',
      '{"resourceType":"Patient","name":[{"family":"Ito","given":["Ren"]}],"gender":"male"}',
      '{"resourceType":"Patient","name":[{"family":"Ito","given":["Yui"]}],"gender":"female","birthDate":"2099-01-01"}',
    ].join('\n'));
    const rows = await collect(readNdjsonPatients(file, '2026-11-25', { bytesRead: 0 }));
    expect(rows.map((r) => [r.line, r.result.ok])).toEqual([[1, true], [2, false], [3, false], [4, false], [5, false]]);
    const fields = (i: number) => (rows[i].result.ok ? [] : rows[i].result.problems.map((p) => p.field));
    expect(fields(1)).toEqual(['(line)']);
    expect(fields(2)).toEqual(['resourceType']);
    expect(fields(3)).toEqual(['Patient.birthDate']);
    expect(fields(4)).toEqual(['Patient.birthDate']);
    expect(JSON.stringify(rows.slice(1))).not.toContain('Secret-Name');
  });
});
