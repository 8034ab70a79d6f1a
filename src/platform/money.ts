/** An amount in whole cents as a person reads it: $6.50, -$12.00. */
export const dollars = (cents: number): string => `${cents < 0 ? '-' : ''}$${(Math.abs(cents) / 100).toFixed(2)}`;
