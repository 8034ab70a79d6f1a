import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { FieldError } from '../platform/errors.js';

/** A row the import refused: its line in the input and every reason. */
export interface RejectedRow {
  line: number;
  problems: FieldError[];
}

const csvCell = (v: string | number): string => {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * The rejects report, `line,field,message`: one line per reason, so a clerk can sort and filter it
 * in a spreadsheet. It holds no values from the input (they are PHI), only where and why.
 */
export class RejectsFile {
  #out: WriteStream;
  #failed: Error | undefined;

  constructor(readonly path: string) {
    this.#out = createWriteStream(path, { flags: 'w', mode: 0o600 });
    this.#out.on('error', (err) => {
      this.#failed = err;
    });
    this.#out.write('line,field,message\n');
  }

  async write(rows: RejectedRow[]): Promise<void> {
    if (this.#failed) throw this.#failed;
    if (rows.length === 0) return;
    let text = '';
    for (const row of rows) for (const p of row.problems) text += `${row.line},${csvCell(p.field)},${csvCell(p.message)}\n`;
    if (!this.#out.write(text)) await once(this.#out, 'drain');
  }

  async close(): Promise<void> {
    if (!this.#out.writableEnded) {
      this.#out.end();
      await once(this.#out, 'close').catch(() => undefined);
    }
    if (this.#failed) throw this.#failed;
  }
}
