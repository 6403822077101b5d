const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A local status's text as the fake renders it into `content`: Mastodon's plain-text formatting,
 * minus links: paragraphs at blank lines, `<br />` at line breaks. Rails' `simple_format` reads
 * `\r\n` and `\r` as line breaks, which matters for multipart bodies: FormData sends every line
 * break as `\r\n`.
 *
 * @example
 * formatPlainText('a\n\nb <i>') // '<p>a</p><p>b &lt;i&gt;</p>'
 */
export function formatPlainText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .trim()
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br />')}</p>`)
    .join('');
}
