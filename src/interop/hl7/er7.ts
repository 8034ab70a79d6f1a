/**
 * HL7 v2 messages in their pipe-and-hat encoding (ER7): segments, fields, repetitions, components
 * and subcomponents, with the delimiters the message's own MSH declares and its escape sequences.
 * Numbering follows the standard: MSH-1 is the field separator itself, so MSH-n is the n-th field
 * counting it, and every other segment's first field after its name is field 1.
 */

export interface Delimiters {
  field: string;
  component: string;
  repetition: string;
  escape: string;
  subcomponent: string;
}

export interface Segment {
  name: string;
  /** Raw (still escaped) field values, indexed by field number; [0] is the segment name. */
  fields: string[];
}

export interface Er7Message {
  delimiters: Delimiters;
  segments: Segment[];
}

/** Where in a message a problem lies (HL7 ERR-2, ERL): segment id, its sequence, field, component. */
export interface ErrorLocation {
  segment: string;
  sequence: number;
  field?: number;
  component?: number;
}

/** HL7 table 0357, the message error condition codes this interface answers with. */
export const ERROR_CONDITIONS = {
  segmentSequence: '100',
  requiredFieldMissing: '101',
  dataType: '102',
  tableValueNotFound: '103',
  unsupportedMessageType: '200',
  unsupportedEventCode: '201',
  unsupportedProcessingId: '202',
  unsupportedVersionId: '203',
  unknownKeyIdentifier: '204',
  duplicateKeyIdentifier: '205',
  applicationRecordLocked: '206',
  applicationInternalError: '207',
} as const;
export type ErrorCondition = (typeof ERROR_CONDITIONS)[keyof typeof ERROR_CONDITIONS];

/**
 * A message this interface cannot take, with where and why. `reject` (AR) is for what the sender
 * must not resend as it is (not a message, an unsupported type or version); otherwise AE.
 * The text never quotes the message's values: it names the field, so it is free of PHI.
 */
export class Hl7MessageError extends Error {
  constructor(
    readonly condition: ErrorCondition,
    readonly text: string,
    readonly location?: ErrorLocation,
    readonly reject = false,
  ) {
    super(text);
    this.name = 'Hl7MessageError';
  }
}

/** Splits ER7 text into segments; carriage returns separate them, and a newline is taken as one too. */
export function parseEr7(text: string): Er7Message {
  const lines = text.split(/\r\n|\r|\n/).filter((l) => l.trim().length > 0);
  const first = lines[0] ?? '';
  if (!first.startsWith('MSH') || first.length < 8) {
    throw new Hl7MessageError(ERROR_CONDITIONS.segmentSequence, 'The message does not start with an MSH segment.', { segment: 'MSH', sequence: 1 }, true);
  }
  const field = first[3];
  const [component, repetition, escape, subcomponent] = first.slice(4, 8);
  const delimiters: Delimiters = { field, component, repetition, escape, subcomponent: subcomponent ?? '&' };
  if (new Set([field, component, repetition, escape]).size !== 4 || /[A-Za-z0-9]/.test(field + component + repetition + escape)) {
    throw new Hl7MessageError(ERROR_CONDITIONS.dataType, 'MSH-2 does not declare four distinct encoding characters.', { segment: 'MSH', sequence: 1, field: 2 }, true);
  }
  const segments = lines.map((line, index): Segment => {
    const parts = line.split(field);
    const name = parts[0];
    if (!/^[A-Z][A-Z0-9]{2}$/.test(name)) {
      throw new Hl7MessageError(ERROR_CONDITIONS.segmentSequence, `Segment ${index + 1} has no valid segment id.`, { segment: 'MSH', sequence: 1 }, true);
    }
    // MSH-1 is the separator itself and MSH-2 the encoding characters: shift so field n is at [n].
    return { name, fields: name === 'MSH' ? ['MSH', field, ...parts.slice(1)] : parts };
  });
  return { delimiters, segments };
}

/** Undoes HL7 escape sequences (\F\ \S\ \T\ \R\ \E\, \Xhh..\, \.br\) in one value. */
export function unescapeValue(value: string, d: Delimiters): string {
  if (!value.includes(d.escape)) return value;
  const e = escapeRegExp(d.escape);
  return value.replace(new RegExp(`${e}([^${e}]*)${e}`, 'g'), (whole, code: string) => {
    switch (code) {
      case 'F': return d.field;
      case 'S': return d.component;
      case 'T': return d.subcomponent;
      case 'R': return d.repetition;
      case 'E': return d.escape;
      case '.br': return '\n';
      default:
        if (/^X([0-9A-Fa-f]{2})+$/.test(code)) return Buffer.from(code.slice(1), 'hex').toString('latin1');
        return whole;
    }
  });
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');

/** Reads a message's segments by name and position, decoding values on the way out. */
export class Er7Reader {
  constructor(readonly message: Er7Message) {}

  get delimiters(): Delimiters {
    return this.message.delimiters;
  }

  all(name: string): Segment[] {
    return this.message.segments.filter((s) => s.name === name);
  }

  first(name: string): Segment | undefined {
    return this.message.segments.find((s) => s.name === name);
  }

  /** Every repetition of a field, each still with its components (raw). */
  repetitions(segment: Segment | undefined, field: number): string[] {
    const raw = segment?.fields[field] ?? '';
    if (raw === '') return [];
    // MSH-2 holds the encoding characters and is never split.
    if (segment?.name === 'MSH' && field <= 2) return [raw];
    return raw.split(this.delimiters.repetition).filter((r) => r !== '');
  }

  /** One component (1-based) of a raw field repetition, decoded; subcomponent 1 unless asked. */
  component(repetition: string | undefined, component = 1, subcomponent = 1): string {
    if (!repetition) return '';
    const comp = repetition.split(this.delimiters.component)[component - 1] ?? '';
    const sub = comp.split(this.delimiters.subcomponent)[subcomponent - 1] ?? '';
    return unescapeValue(sub, this.delimiters).trim();
  }

  /** A component's subcomponents joined back (e.g. an HD inside a CX), decoded per part. */
  components(repetition: string | undefined, component: number): string[] {
    if (!repetition) return [];
    const comp = repetition.split(this.delimiters.component)[component - 1] ?? '';
    return comp.split(this.delimiters.subcomponent).map((s) => unescapeValue(s, this.delimiters).trim());
  }

  /** The first repetition's component, decoded: `value(pid, 7)` is PID-7.1. */
  value(segment: Segment | undefined, field: number, component = 1, subcomponent = 1): string {
    if (segment?.name === 'MSH' && field <= 2) return segment.fields[field] ?? '';
    return this.component(this.repetitions(segment, field)[0], component, subcomponent);
  }
}
