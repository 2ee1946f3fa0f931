const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The number a base62 string (digits, then upper, then lower case) spells; NaN for another character. */
export function decodeBase62(text: string): number {
  let value = 0;
  for (const char of text) {
    const digit = ALPHABET.indexOf(char);
    if (digit < 0) return NaN;
    value = value * 62 + digit;
  }
  return value;
}

/** `value` in base62, left-padded with zeros to `width`. */
export function encodeBase62(value: number, width: number): string {
  let text = '';
  let rest = Math.floor(value);
  do {
    text = ALPHABET.charAt(rest % 62) + text;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  return text.padStart(width, '0');
}
