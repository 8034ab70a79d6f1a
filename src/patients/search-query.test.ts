import { describe, expect, it } from 'vitest';
import { parseSearchText } from './search-query.js';

describe('reading what the clerk typed in the search box', () => {
  it.each([
    ['Smith', { family: 'Smith' }],
    ['smith, john', { family: 'smith', given: 'john' }],
    ['Smith,John', { family: 'Smith', given: 'John' }],
    ['John Smith', { given: 'John', family: 'Smith' }],
    ['Mary Anne Van Dyke', { given: 'Mary', family: 'Anne Van Dyke' }],
    ['M000000421', { mrn: 'M000000421' }],
    ['smith 03/07/1980', { family: 'smith', birthDate: '1980-03-07' }],
    ['1980-03-07', { birthDate: '1980-03-07' }],
    ['(555) 867-5309', { phone: '5558675309' }],
    ['555-867-5309', { phone: '5558675309' }],
    ['6789 1980-03-07', { ssnLast4: '6789', birthDate: '1980-03-07' }],
    ['garcia 94110', { family: 'garcia', postalCode: '94110' }],
    ['', {}],
  ])('reads %j', (text, expected) => {
    expect(parseSearchText(text, 'M')).toEqual(expected);
  });
});
