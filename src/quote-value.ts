/**
 * Values from the input, quoted for a message: at most a short prefix of each, so a message
 * never repeats a huge value (a 2 MB string used through a hundred aliases).
 */
import { MAX_QUOTED_CHARS } from './scenario/limits.js';

/** The first characters of `text` and `…`, at most `max` in all; a surrogate pair is never split. */
function cut(text: string, max: number): string {
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 2)) ? max - 2 : max - 1;
  return `${text.slice(0, end)}…`;
}

/** `text`, or when longer than `max` its first characters, `…` and its length. */
export function clip(text: string, max: number = MAX_QUOTED_CHARS): string {
  return text.length <= max ? text : `${cut(text, max)} (${text.length} characters)`;
}

/** A value from the input for a message: JSON-quoted, at most MAX_QUOTED_CHARS of it. */
export function quote(text: string): string {
  return text.length <= MAX_QUOTED_CHARS ? JSON.stringify(text) : `${JSON.stringify(cut(text, MAX_QUOTED_CHARS))} (${text.length} characters)`;
}
