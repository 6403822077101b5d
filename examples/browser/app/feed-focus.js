// Keyboard focus in the feed of cards (status-cards.js). One card is a tab stop (a roving tabindex): the card focused
// last, or the newest while none has been, with its own links and disclosures; every other card and its controls are
// tabindex=-1, so Tab enters the feed once and leaves it after one card, instead of walking through up to 100 cards.
// Inside it, the WAI-ARIA feed pattern's keys: Page Down and Page Up move to the next and previous card, from the card
// or from within it; Control+Home and Control+End leave the feed, to what can take focus before it and after it.

const CONTROLS = 'a[href], summary';

/** Keeps one card of `feed` (whose children are the cards) in the tab order, and handles the feed pattern's keys. */
export function createFeedFocus(feed) {
  let chosen; // the card focused last (or the edit that replaced it)
  let tabStop; // the card in the tab order

  /** Puts the chosen card, or while none is in the feed the first, in the tab order, and takes the previous one out. */
  const sync = () => {
    const wanted = chosen?.isConnected ? chosen : (feed.firstElementChild ?? undefined);
    if (wanted === tabStop) return;
    if (tabStop) setTabbable(tabStop, false);
    if (wanted) setTabbable(wanted, true);
    tabStop = wanted;
  };

  // Focus by Tab, click or Page Down: that card is the one Tab comes back to.
  feed.addEventListener('focusin', (event) => {
    chosen = cardOf(feed, event.target) ?? chosen;
    sync();
  });

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

  return {
    /** After `card` went into the feed, new or (`old` given) as the edit of `old`: only the tab stop stays in the tab order. */
    added(card, old) {
      if (old && chosen === old) chosen = card;
      if (card !== tabStop) setTabbable(card, false);
      sync();
    },
    /** After cards left the feed: the tab stop moves on if it was one of them. */
    removed() {
      sync();
    },
    /** After the feed was emptied (another stream): the next stream starts with its newest card. */
    cleared() {
      chosen = undefined;
      tabStop = undefined;
    },
  };
}

/** A card and its own links and disclosures in the tab order (tabindex 0, controls as they come), or out of it (-1). */
function setTabbable(card, inOrder) {
  card.tabIndex = inOrder ? 0 : -1;
  for (const control of card.querySelectorAll(CONTROLS)) {
    if (inOrder) control.removeAttribute('tabindex');
    else control.tabIndex = -1;
  }
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
