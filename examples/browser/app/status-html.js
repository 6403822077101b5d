// The status HTML rebuilt from an allow-list, and the URL check that every link and
// image of a card goes through (status-cards.js).

// Status HTML: what Mastodon sends is <p>, <br>, <a> (links, mentions, hashtags) and <span>s, with
// class="invisible" on the parts of a long URL it hides and class="ellipsis" where it shortens one.
const BLOCKS = new Set(['p', 'div', 'blockquote', 'pre', 'ul', 'ol', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const DROPPED = new Set(['script', 'style', 'template', 'noscript', 'iframe', 'object', 'embed', 'svg', 'math', 'head', 'title']);
const parser = new DOMParser();

/**
 * The status HTML as a fragment of new <p>, <br> and <a> elements holding only text: nothing is copied from the
 * parsed document but text and the href of an http(s) link (set through the property, so it cannot become markup).
 * `textNodes` turns each piece of text into what is appended for it (custom emoji make some of it images).
 */
export function renderContent(html, textNodes = (text) => [text]) {
  const fragment = document.createDocumentFragment();
  let paragraph; // the open <p>, made when inline content first needs it
  const inline = () => (paragraph ??= fragment.appendChild(document.createElement('p')));
  const walk = (parent, into) => {
    for (const node of parent.childNodes) {
      if (node.nodeType === Node.TEXT_NODE) {
        if (into || paragraph || node.data.trim()) (into ?? inline()).append(...textNodes(node.data));
        continue;
      }
      if (node.nodeType !== Node.ELEMENT_NODE) continue;
      const tag = node.localName;
      if (DROPPED.has(tag) || node.classList.contains('invisible')) continue;
      if (tag === 'br') {
        (into ?? inline()).append(document.createElement('br'));
      } else if (BLOCKS.has(tag) && !into) {
        paragraph = undefined;
        walk(node);
        paragraph = undefined;
      } else if (tag === 'a' && !into && webUrl(node.getAttribute('href'))) {
        const link = document.createElement('a');
        link.href = webUrl(node.getAttribute('href'));
        link.target = '_blank';
        link.rel = 'nofollow noopener noreferrer';
        inline().append(link);
        walk(node, link);
      } else {
        walk(node, into);
        if (node.classList.contains('ellipsis')) (into ?? inline()).append('…');
      }
    }
  };
  walk(parser.parseFromString(html, 'text/html').body);
  for (const block of [...fragment.children]) if (!block.textContent.trim() && !block.querySelector('img')) block.remove();
  return fragment;
}

/** `value` if it is an absolute http(s) URL, else undefined. */
export function webUrl(value) {
  if (typeof value !== 'string' || !URL.canParse(value)) return undefined;
  return /^https?:$/.test(new URL(value).protocol) ? value : undefined;
}
