// Keyboard focus in the feed of cards (status-cards.js): the WAI-ARIA feed pattern's keys. Page Down and Page Up
// move to the next and previous card, from the card or from within it; Control+Home and Control+End leave the feed,
// to what can take focus before it and after it, since every card is a tab stop and Tab alone would walk through up
// to 100 of them.

/** Handles the feed pattern's keys in `feed`, whose children are the cards. */
export function createFeedFocus(feed) {
  feed.addEventListener('keydown', (event) => {
    if (event.altKey || event.metaKey || event.shiftKey) return;
    if (event.ctrlKey && (event.key === 'Home' || event.key === 'End')) {
      const target = outsideFeed(feed, event.key === 'Home' ? 'before' : 'after');
      if (!target) return;
      event.preventDefault();
      target.focus();
      return;
    }
    if ((event.key !== 'PageDown' && event.key !== 'PageUp') || event.ctrlKey) return;
    const card = cardOf(feed, event.target);
    const next = event.key === 'PageDown' ? card?.nextElementSibling : card?.previousElementSibling;
    if (!next) return;
    event.preventDefault();
    next.focus();
  });
}

/** The card (a child of `feed`) that holds `node`, or undefined. */
function cardOf(feed, node) {
  let card = node;
  while (card && card.parentElement !== feed) card = card.parentElement;
  return card ?? undefined;
}

/** The nearest element outside `feed` that can take focus, before it or after it in document order. */
function outsideFeed(feed, side) {
  const candidates = [...document.querySelectorAll('a[href], button:not([disabled]), select:not([disabled]), input:not([disabled]), [tabindex]')].filter(
    (element) => !feed.contains(element) && (feed.compareDocumentPosition(element) & (side === 'before' ? Node.DOCUMENT_POSITION_PRECEDING : Node.DOCUMENT_POSITION_FOLLOWING)),
  );
  return side === 'before' ? candidates.at(-1) : candidates[0];
}
