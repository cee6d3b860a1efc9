/**
 * Escaping of user text for each medium a report is written in. Step names, file names,
 * reasons and every other string from a scenario (or a cluster) may hold anything: terminal
 * control sequences, line breaks that forge result lines, Markdown that draws links or
 * images, markup, or bidirectional controls that make text read backwards. Each function
 * makes a string inert and visible in its medium. Pure.
 */

/**
 * Characters that act on a terminal or disguise text: C0 controls (tab and line breaks
 * included: one field, one line), DEL, C1 controls (U+009B is a CSI on some terminals),
 * the Arabic letter mark, zero-width and directional marks, line and paragraph separators,
 * bidirectional embeddings, overrides and isolates, word joiners and the BOM.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** `\x1b`, `\u202e`: the code point written out, as JavaScript would. */
function visible(ch: string): string {
  const code = ch.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Text safe on one line of a terminal: every control, directional or invisible character
 * (see UNSAFE) written out as `\xNN` or `\uNNNN`; everything else unchanged.
 */
export function escapeTerminal(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** Text of several lines for a terminal: each line as `escapeTerminal` writes it, the line breaks kept. */
export function escapeTerminalLines(text: string): string {
  return text.split('\n').map(escapeTerminal).join('\n');
}

/** Backslash-escaped in Markdown: what could start code, emphasis, links, images, tables or strikethrough. */
const MARKDOWN_SPECIALS = /[\\`*_[\]|~]/g;
const HTML_SPECIALS = /[&<>]/g;
const HTML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Text safe inside a GitHub-flavoured Markdown table cell or heading: `&`, `<`, `>` become
 * entities (no raw HTML), the characters of code, emphasis, links, images, tables and
 * strikethrough are backslash-escaped, line breaks become spaces, and invisible or
 * directional characters are written out.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(MARKDOWN_SPECIALS, (ch) => `\\${ch}`)
    .replace(HTML_SPECIALS, (ch) => HTML_ENTITIES[ch]!)
    .replace(UNSAFE, visible);
}

const MERMAID_ENTITIES: Readonly<Record<string, string>> = { '&': '#amp;', '"': '#quot;', '<': '#lt;', '>': '#gt;', '#': '#35;', '`': '#96;' };

/**
 * A quoted Mermaid label: `"`, the HTML specials and the backtick (which could close the
 * Markdown code fence) as Mermaid entity codes; invisible or directional characters written out.
 */
export function escapeMermaidLabel(text: string): string {
  return text.replace(/[&"<>#`]/g, (ch) => MERMAID_ENTITIES[ch]!).replace(UNSAFE, visible);
}

/** Characters XML 1.0 cannot carry at all, even escaped (C0 controls other than tab, LF, CR; lone surrogates; U+FFFE/U+FFFF). */
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Legal in XML but disguising in a CI's test view: DEL, C1 controls, directional and invisible characters. */
const XML_DISGUISING = /[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

const XML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/**
 * Escapes text for an XML attribute value or element content: `& < > " '` become entities,
 * characters XML 1.0 forbids become U+FFFD, directional and invisible characters are written
 * out. Tab, LF and CR become character references so parsers keep them in attributes
 * (attribute-value normalization would turn them into spaces).
 */
export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML_CHARS, '\uFFFD')
    .replace(XML_DISGUISING, visible)
    .replace(/[&<>"'\t\n\r]/g, (ch) => XML_ENTITIES[ch]!);
}

/** Element content: like `escapeXml`, but line breaks stay readable. */
export function escapeXmlText(text: string): string {
  return escapeXml(text).replace(/&#10;/g, '\n');
}
