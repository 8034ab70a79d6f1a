/**
 * What a clerk types in the patient search box, read as a structured query: an MRN, a phone number,
 * an SSN's last four with a birth date, a date of birth, and a name as "family, given" or "given family".
 */
export interface PatientQuery {
  mrn?: string;
  family?: string;
  given?: string;
  birthDate?: string;
  phone?: string;
  ssnLast4?: string;
  postalCode?: string;
  identifier?: string;
}

const US_DATE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function parseDate(token: string): string | undefined {
  if (ISO_DATE.test(token)) return token;
  const m = US_DATE.exec(token);
  if (!m) return undefined;
  const [, mm, dd, yyyy] = m;
  return `${yyyy}-${mm.padStart(2, '0')}-${dd.padStart(2, '0')}`;
}

export function parseSearchText(typed: string, mrnPrefix: string): PatientQuery {
  let text = typed;
  const query: PatientQuery = {};
  const words: string[] = [];
  let familyFirst = false;
  // A phone number may hold spaces: "(555) 867-5309". Take it out before splitting into words.
  const phone = /(?:^|\s)(\+?1?[\s.-]*\(?\d{3}\)?[\s.-]*\d{3}[\s.-]*\d{4})(?=\s|$)/.exec(text);
  if (phone) {
    query.phone = phone[1].replace(/[^\d+]/g, '');
    text = text.replace(phone[1], ' ');
  }
  const tokens = text.trim().split(/\s+/).filter(Boolean);
  for (let i = 0; i < tokens.length; i++) {
    let token = tokens[i];
    const date = parseDate(token);
    if (date) {
      query.birthDate = date;
      continue;
    }
    if (new RegExp(`^${mrnPrefix}\\d{5,}$`, 'i').test(token)) {
      query.mrn = token.toUpperCase();
      continue;
    }
    const digits = token.replace(/[()\s.-]/g, '');
    if (/^\+?\d{10,15}$/.test(digits)) {
      query.phone = digits;
      continue;
    }
    if (/^\d{4}$/.test(token)) {
      query.ssnLast4 = token;
      continue;
    }
    if (/^\d{5}(-\d{4})?$/.test(token)) {
      query.postalCode = token.slice(0, 5);
      continue;
    }
    if (token.endsWith(',')) {
      token = token.slice(0, -1);
      if (words.length === 0) familyFirst = true;
    } else if (token.includes(',')) {
      const [family, given] = token.split(',', 2);
      if (family) words.push(family);
      familyFirst = true;
      if (given) words.push(given);
      continue;
    }
    if (token) words.push(token);
  }
  if (words.length === 1) query.family = words[0];
  else if (words.length >= 2) {
    if (familyFirst) {
      query.family = words[0];
      query.given = words.slice(1).join(' ');
    } else {
      query.given = words[0];
      query.family = words.slice(1).join(' ');
    }
  }
  return query;
}
