/** Escaping for the HTML report: text and attributes, and JSON inside a `<script>` element. Pure. */

const HTML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Characters HTML cannot carry as text (C0 controls other than tab, LF, CR; lone surrogates; noncharacters). */
const INVALID_HTML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text safe as element content and as a quoted attribute value: `& < > " '` become entities,
 * characters HTML cannot carry become U+FFFD.
 */
export function escapeHtml(text: string): string {
  return text.replace(INVALID_HTML_CHARS, '\uFFFD').replace(/[&<>"']/g, (ch) => HTML_ENTITIES[ch]!);
}

/**
 * JSON for a `<script type="application/json">` element: `<` is written `\u003c`, so no
 * `</script>` or `<!--` can end the element early; U+2028/U+2029 are escaped too. `JSON.parse`
 * of the element's text gives back `value`.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
