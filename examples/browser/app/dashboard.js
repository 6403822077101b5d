// The dashboard: one @tootstream/core stream at a time, consumed with
// for-await; hooks drive the connection state, heartbeat and log; pause
// aborts the stream and resume reopens it from `stream.cursor()`, so what
// was posted meanwhile comes back as catch-up events.
import { createClient } from '@tootstream/core';
import { openStream } from '/shared/stream-choice.mjs';
import { createCardColumn } from './status-cards.js';
import { createRateMeter, drawSparkline } from './rate-meter.js';

const byId = (id) => document.getElementById(id);
const ui = {
  picker: byId('stream-picker'),
  pause: byId('pause'),
  state: byId('connection-state'),
  heartbeat: byId('heartbeat'),
  rate: byId('events-per-second'),
  sparkline: byId('sparkline'),
  log: byId('connection-log'),
  footer: byId('footer'),
  announcer: byId('announcer'),
};

// serve.mjs hands out the fake instance's URL and demo token. A real app would
// get a token from an OAuth flow; never embed a real token in a page.
const config = await (await fetch('/config.json')).json();
const client = createClient({ url: config.instanceUrl, accessToken: config.accessToken });
const cards = createCardColumn(byId('cards'));
const meter = createRateMeter();
const clockTime = (epochMs) => new Date(epochMs).toLocaleTimeString([], { hour12: false });

let current; // { stream, controller, choice }
let pausedCursor;
let lastHeartbeatAt;

function log(text, kind = 'info') {
  const entry = document.createElement('li');
  entry.className = `log-${kind}`;
  entry.textContent = `${clockTime(Date.now())} ${text}`;
  ui.log.prepend(entry);
  while (ui.log.children.length > 40) ui.log.lastElementChild.remove();
}

function showState(state, detail = '') {
  ui.state.dataset.state = state;
  ui.state.textContent = detail ? `${state} · ${detail}` : state;
  announce({ state: SPOKEN_STATES[state]?.(detail) });
}

// What a screen reader hears (#announcer, a polite role="status"): connection changes and catch-up totals, never a
// card, a heartbeat or a rate. Changes within a second are merged and only the last state is spoken, so connecting,
// catching-up, open says "Connected" once, and a run of reconnect attempts says "Connection lost, reconnecting" once.
const SPOKEN_STATES = {
  open: () => `Connected to ${ui.picker.selectedOptions[0]?.textContent ?? ui.picker.value}`,
  reconnecting: () => 'Connection lost, reconnecting',
  paused: () => 'Paused',
  error: (detail) => `Stream failed: ${detail}`,
};
let spokenState;
let pendingState;
const pendingNotes = [];
let announceTimer;
function announce({ state, note }) {
  if (state !== undefined) pendingState = state;
  if (note !== undefined) pendingNotes.push(note);
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => {
    const parts = pendingState !== undefined && pendingState !== spokenState ? [pendingState] : [];
    if (pendingState !== undefined) spokenState = pendingState;
    parts.push(...pendingNotes.splice(0));
    pendingState = undefined;
    if (parts.length > 0) ui.announcer.textContent = parts.join('. ');
  }, 1000);
}

/** Opens `choice`, resuming from `cursor` (with catch-up) when given. */
function start(choice, cursor) {
  const controller = new AbortController();
  let opened = false;
  const stream = openStream(client, choice, {
    signal: controller.signal,
    ...(cursor ? { cursor } : {}),
    onStateChange(state) {
      // "reconnecting" is shown by onReconnecting, with the attempt and delay.
      if (state !== 'reconnecting') showState(state);
      // Core leaves catching-up only once this loop has taken the backfill's last event, so the feed is busy for all of it.
      cards.setBusy(state === 'catching-up');
    },
    onOpen() {
      log(opened ? 'reconnected' : 'open', 'open');
      opened = true;
    },
    onClose({ reason }) {
      log(`closed (${reason})`, reason === 'error' ? 'error' : 'info');
    },
    onReconnecting({ attempt, delayMs, error }) {
      showState('reconnecting', `attempt ${attempt} in ${(delayMs / 1000).toFixed(1)} s`);
      log(`reconnecting in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt}: ${error.message})`, 'reconnecting');
    },
    onHeartbeat() {
      lastHeartbeatAt = Date.now();
      ui.heartbeat.dataset.at = String(lastHeartbeatAt);
      renderHeartbeat();
    },
    onCatchUpProgress({ route, fetched, done }) {
      if (!done) return;
      log(`caught up ${fetched} ${route} over REST`, 'catchup');
      if (fetched > 0) announce({ note: `${fetched} missed ${fetched === 1 ? route.slice(0, -1) : route} caught up` });
    },
    onGap({ reason, kinds }) {
      if (reason !== 'not-recoverable' || kinds.includes('notifications')) log(`gap: ${kinds.join(', ')} (${reason})`, 'gap');
    },
    onError(error) {
      log(`${error.name}: ${error.message}`, 'error');
    },
  });
  current = { stream, controller, choice };
  log(cursor ? `resuming ${choice} from cursor` : `opening ${choice}`);
  void consume(current);
}

async function consume({ stream, choice }) {
  try {
    for await (const event of stream) {
      meter.record();
      show(event);
    }
  } catch (error) {
    // Fatal: a bad token, an unknown list, a server that is not Mastodon.
    showState('error', error.message);
    log(`${choice} failed: ${error.message}`, 'error');
  }
}

function show(event) {
  switch (event.event) {
    case 'update':
      return cards.addStatus(event.payload, event.source);
    case 'status.update':
      return cards.applyEdit(event.payload, event.source);
    case 'delete':
      return cards.applyDelete(event.payload);
    case 'notification':
      return cards.addNotification(event.payload, event.source);
  }
}

function stop() {
  current?.controller.abort();
  current = undefined;
}

ui.picker.addEventListener('change', () => {
  stop();
  pausedCursor = undefined;
  ui.pause.textContent = 'Pause';
  cards.clear();
  start(ui.picker.value);
});

ui.pause.addEventListener('click', () => {
  if (current) {
    // The cursor holds the newest ids seen; resuming with it fetches the gap over REST.
    pausedCursor = current.stream.cursor();
    stop();
    showState('paused');
    log('paused');
    ui.pause.textContent = 'Resume';
  } else {
    start(ui.picker.value, pausedCursor);
    ui.pause.textContent = 'Pause';
  }
});

// A page left for another can stay in the back/forward cache with its stream open, holding one of the six connections
// an HTTP/1.1 host allows (shared with every tab): it leaves with the stream closed, and when the user comes back the
// stream resumes from its cursor, so what was posted meanwhile arrives as catch-up.
let awayFrom; // { choice, cursor }
addEventListener('pagehide', () => {
  if (!current) return;
  awayFrom = { choice: current.choice, cursor: current.stream.cursor() };
  stop();
});
addEventListener('pageshow', (event) => {
  if (!event.persisted || !awayFrom) return;
  start(awayFrom.choice, awayFrom.cursor);
  awayFrom = undefined;
});

function renderHeartbeat() {
  if (lastHeartbeatAt === undefined) return;
  const secondsAgo = Math.round((Date.now() - lastHeartbeatAt) / 1000);
  ui.heartbeat.textContent = `${clockTime(lastHeartbeatAt)} (${secondsAgo} s ago)`;
}

setInterval(() => {
  ui.rate.textContent = meter.perSecond().toFixed(1);
  ui.rate.dataset.total = String(meter.total);
  drawSparkline(ui.sparkline, meter.series());
  renderHeartbeat();
}, 1000);

ui.footer.textContent = `Streaming from ${config.instanceUrl} (testkit, simulated traffic) · @tootstream/core loaded from ${import.meta.resolve('@tootstream/core')}`;
start(ui.picker.value);
