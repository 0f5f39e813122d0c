/**
 * Repetitive and sequential passwords (NIST SP 800-63B-4 §3.1.1.2: "repetitive or sequential characters (e.g.
 * 'aaaaaa', '1234abcd')"). A password is cut, left to right, into tokens: a run of three or more characters that
 * follow one step (the same character again, or the next/previous one by 1 or 2 code points, digits wrapping 9→0,
 * or the next/previous key of one keyboard row) is one token, any other character is one token. A password that
 * repeats a shorter unit ("abc123abc123…") counts as that unit. Its *pattern length* is its number of tokens;
 * below PATTERN_MIN_TOKENS it is refused. Everything compares lower case.
 */

/** Fewer tokens than this and the password is made of repeated or sequential characters. */
export const PATTERN_MIN_TOKENS = 5;

/** Keyboard rows (QWERTY), each read forwards and backwards. */
const ROWS = ['`1234567890-=', 'qwertyuiop[]\\', "asdfghjkl;'", 'zxcvbnm,./'];

function keyboardStep(a: string, b: string): number | null {
  for (const row of ROWS) {
    const i = row.indexOf(a);
    const j = row.indexOf(b);
    if (i >= 0 && j >= 0 && Math.abs(j - i) === 1) return j - i;
  }
  return null;
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9';

/** The steps from a to b that a run may follow (as comparable keys), or none. */
function steps(a: string, b: string): string[] {
  const out: string[] = [];
  const delta = (b.codePointAt(0) ?? 0) - (a.codePointAt(0) ?? 0);
  if (Math.abs(delta) <= 2) out.push(`c${delta}`);
  if (isDigit(a) && isDigit(b)) {
    const wrapped = (Number(b) - Number(a) + 10) % 10;
    if (wrapped === 1 || wrapped === 9) out.push(`d${wrapped}`);
  }
  const key = keyboardStep(a, b);
  if (key !== null) out.push(`k${key}`);
  return out;
}

/** The number of tokens of a string of code points (see the header). */
function tokens(chars: string[]): number {
  let count = 0;
  let i = 0;
  while (i < chars.length) {
    let best = 1;
    if (i + 1 < chars.length) {
      for (const step of steps(chars[i], chars[i + 1])) {
        let end = i + 1;
        while (end + 1 < chars.length && steps(chars[end], chars[end + 1]).includes(step)) end += 1;
        best = Math.max(best, end - i + 1);
      }
    }
    i += best >= 3 ? best : 1;
    count += 1;
  }
  return count;
}

/** The shortest unit the string repeats (the whole string when it repeats none at least twice). */
function unit(chars: string[]): string[] {
  for (let period = 1; period <= chars.length / 2; period++) {
    if (chars.every((c, i) => i < period || c === chars[i - period])) return chars.slice(0, period);
  }
  return chars;
}

/** The password's pattern length: the tokens of the unit it repeats. */
export function patternLength(password: string): number {
  return tokens(unit([...password.toLowerCase()]));
}

export function isRepetitiveOrSequential(password: string): boolean {
  return patternLength(password) < PATTERN_MIN_TOKENS;
}
