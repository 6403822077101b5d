import type { StatusJson } from './entity-json.js';
import { decodeEntities } from './keyword-filters.js';

/**
 * A status's source text (`text`), which REST::StatusSerializer renders instead of `content`
 * when the source is asked for (`source_requested`, app/serializers/rest/status_serializer.rb:20-21,
 * :161-163): what `DELETE /api/v1/statuses/:id` answers, so that a client can redraft.
 *
 * The text a status was posted or edited with over REST is remembered with the `content` it made;
 * while the status still has that content, that text is its source. A status scripted with
 * `postStatus` (or changed since by `editStatus`) has only its HTML, so its source is read back
 * from it: paragraphs become blank lines, `<br>` a line break, tags go and entities are decoded.
 *
 * @example
 * sourceTexts.withSource(status).text // 'a & b', for content '<p>a &amp; b</p>'
 */
export class SourceTexts {
  private readonly texts = new Map<string, { text: string; content: string }>();

  /** Remembers the text a REST post or edit gave the status, with the content it made of it. */
  remember(statusId: string, text: string, content: string): void {
    this.texts.set(statusId, { text, content });
  }

  /** The status's source text, as 4.5 keeps it in `statuses.text`; a boost's is empty. */
  textOf(status: StatusJson): string {
    if (status.reblog != null) return '';
    const known = this.texts.get(status.id);
    if (known !== undefined && known.content === status.content) return known.text;
    // A scripted status may have any content (null from plain JavaScript): it has no source then.
    return typeof status.content === 'string' ? plainTextOf(status.content) : '';
  }

  /**
   * The status rendered with its source: `text` where `content` was (the same key order as
   * ActiveModel::Serializer gives), a boost's nested status likewise, as the serializer's options
   * reach its associations.
   */
  withSource(status: StatusJson): Record<string, unknown> {
    const rendered: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(status)) {
      if (key === 'content') rendered['text'] = this.textOf(status);
      else if (key === 'reblog' && value !== null && typeof value === 'object') rendered[key] = this.withSource(value as StatusJson);
      else rendered[key] = value;
    }
    return rendered;
  }
}

/** The plain text of a status's HTML, as the fake's own formatting (formatPlainText) makes it. */
function plainTextOf(content: string): string {
  const lines = content.replace(/<br\s*\/?>/g, '\n').replace(/<\/p>\s*<p>/g, '\n\n');
  return decodeEntities(lines.replace(/<[^>]*>/g, ''));
}
