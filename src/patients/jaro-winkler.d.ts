declare module 'jaro-winkler' {
  export default function distance(a: string, b: string, options?: { caseSensitive?: boolean }): number;
}
