// @ts-check
/**
 * The dashboard: sign in with a participant token, follow the exercise's notices, open one to see its
 * state diagram, its history and a world map of its circulation, all updated live from the exercise's
 * event stream. Plain browser JavaScript (checked by tsc), libraries served by the app itself.
 */

/** @typedef {{ participantId: string, role: string, country?: string, exercise: { id: string, name: string, title: string | null } }} Me */
/** @typedef {{ id: string, type: 'RED' | 'YELLOW', state: string, requestingCountry: string, updatedAt: string, subject: { familyName: string, forename?: string } }} Notice */
/** @typedef {{ seq: number, type: string, actor: { role: string, country?: string }, from: string | null, to: string, country?: string, at: string }} HistoryItem */
/** @typedef {{ noticeId: string, type: string, country?: string, noticeState: string, at: string }} StreamEvent */

const TOKEN_KEY = 'notice-simulator.token';

/** Colours of circulation record states on the map (Okabe–Ito based, readable by colour-blind readers). */
export const RECORD_COLOURS = /** @type {Record<string, string>} */ ({
  received: '#9ecae1',
  acknowledged: '#3182bd',
  hit: '#e69f00',
  provisional_arrest: '#d55e00',
  declined: '#cc79a7',
  surrendered: '#009e73',
  located: '#009e73',
  closed: '#bdbdbd',
});
const REQUESTER_COLOUR = '#1d1d1f';
const NO_RECORD_COLOUR = '#f1f3f4';

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** @type {{ token: string | null, me: Me | null, notices: Map<string, Notice>, current: string | null, lastEventId: string | null, stream: AbortController | null }} */
const state = { token: sessionStorage.getItem(TOKEN_KEY), me: null, notices: new Map(), current: null, lastEventId: null, stream: null };

class ApiError extends Error {
  /** @param {number} status @param {string} message */
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/**
 * @param {string} path
 * @param {RequestInit & { text?: boolean }} [init]
 * @returns {Promise<any>}
 */
async function api(path, init = {}) {
  const headers = new Headers(init.headers);
  if (state.token) headers.set('authorization', `Bearer ${state.token}`);
  if (init.body) headers.set('content-type', 'application/json');
  const res = await fetch(path, { ...init, headers });
  if (!res.ok) {
    const body = await res.json().catch(() => null);
    throw new ApiError(res.status, body?.error?.message ?? res.statusText);
  }
  return init.text ? res.text() : res.json();
}

/** @param {string} text */
const esc = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** @param {string} iso */
const when = (iso) => iso.replace('T', ' ').replace(/:\d\d\.\d{3}Z$/, 'Z');

function announce(/** @type {string} */ text) {
  $('live').textContent = text;
}

// ——— sign in ———

async function signIn(/** @type {string} */ token) {
  state.token = token;
  try {
    state.me = await api('/api/me');
  } catch (error) {
    state.token = null;
    throw error;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  const me = /** @type {Me} */ (state.me);
  $('who').textContent = `${me.exercise.title ?? me.exercise.name} · ${me.role}${me.country ? ` ${me.country}` : ''}`;
  $('sign-out').hidden = false;
  $('sign-in').hidden = true;
  await Promise.all([loadNotices(), startClock()]);
  // The whole exercise's figures are for the roles that see all of it.
  const seesAll = me.role !== 'ncb';
  $('paths').hidden = !seesAll;
  $('report-actions').hidden = !(me.role === 'facilitator' || me.role === 'observer');
  openStream();
  route();
}

async function showHeatmap() {
  const me = /** @type {Me} */ (state.me);
  if (me.role === 'ncb' || state.current) return;
  const machine = /** @type {HTMLSelectElement} */ ($('heat-machine')).value;
  const text = await api(`/api/exercises/${me.exercise.id}/heatmap?machine=${machine}&format=mermaid&labels=events`, { text: true });
  await renderDiagram(text, $('heatmap'));
}

/** The report is a page of its own; it needs the token, so it is fetched here and opened from memory. */
async function openReport() {
  const me = /** @type {Me} */ (state.me);
  const html = await api(`/api/exercises/${me.exercise.id}/report?format=html`, { text: true });
  const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
  window.open(url, '_blank', 'noopener');
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  location.hash = '#/';
  location.reload();
}

// ——— notices list ———

async function loadNotices() {
  const me = /** @type {Me} */ (state.me);
  /** @type {Notice[]} */
  const all = [];
  // Page by page: a simulation can hold thousands of notices.
  for (let offset = 0; ; offset += 1000) {
    const { items } = await api(`/api/exercises/${me.exercise.id}/notices?limit=1000&offset=${offset}`);
    all.push(...items);
    if (items.length < 1000) break;
  }
  state.notices = new Map(all.map((n) => [n.id, n]));
  renderNotices();
}

/** @type {ReturnType<typeof setTimeout> | null} */
let reloadTimer = null;
/** New notices come in bursts too: one reload once the burst is over. */
function reloadNoticesSoon() {
  if (reloadTimer) clearTimeout(reloadTimer);
  reloadTimer = setTimeout(() => void loadNotices(), 300);
}

function noticeName(/** @type {Notice} */ n) {
  return `${n.subject.familyName}${n.subject.forename ? ` ${n.subject.forename}` : ''}`;
}

function renderNotices(/** @type {string | null} */ changed = null) {
  const rows = [...state.notices.values()].map(
    (n) => `<tr data-id="${n.id}"${n.id === changed ? ' class="changed"' : ''}>
      <td><a href="#/notices/${n.id}">${esc(noticeName(n))}</a></td><td>${n.type}</td><td>${n.requestingCountry}</td>
      <td><span class="state" data-testid="state-${n.id}">${esc(n.state)}</span></td><td>${when(n.updatedAt)}</td></tr>`,
  );
  $('notice-rows').innerHTML = rows.join('');
  $('no-notices').hidden = rows.length > 0;
}

// ——— one notice ———

let renderSeq = 0;

async function showNotice(/** @type {string} */ id) {
  const seq = ++renderSeq;
  const [notice, history, circulation, diagram] = await Promise.all([
    api(`/api/notices/${id}`),
    api(`/api/notices/${id}/history`),
    api(`/api/notices/${id}/circulation`),
    api(`/api/notices/${id}/diagram?format=mermaid&labels=${/** @type {HTMLInputElement} */ ($('full-labels')).checked ? 'full' : 'events'}`, { text: true }),
  ]);
  if (seq !== renderSeq) return;
  state.notices.set(id, notice);
  $('notice-title').textContent = `${notice.type === 'RED' ? 'Red' : 'Yellow'} notice: ${noticeName(notice)}`;
  $('notice-summary').innerHTML = `Requested by ${notice.requestingCountry} · state <strong data-testid="notice-state">${esc(notice.state)}</strong> · version ${notice.version}${
    notice.allowedEvents.length ? ` · you may send ${notice.allowedEvents.map(esc).join(', ')}` : ''
  }`;
  await renderActions(notice, circulation.items);
  $('history').innerHTML = history.items
    .map(
      (/** @type {HistoryItem} */ h) =>
        `<li><time datetime="${h.at}">${when(h.at)}</time><strong>${esc(h.type)}</strong> by ${esc(h.actor.role)}${h.actor.country ? ` ${h.actor.country}` : ''}${
          h.country ? ` on the ${h.country} record` : ''
        }: ${esc(h.from ?? '—')} → ${esc(h.to)}</li>`,
    )
    .join('');
  await Promise.all([renderDiagram(diagram), renderMap(notice, circulation.items)]);
}

// ——— acting: forms built from the API's own schemas ———

/** @type {Promise<{ notice: any[], circulation: any[], machine: any }> | null} */
let vocabulary = null;
function loadVocabulary() {
  vocabulary ??= Promise.all([fetch('/api/openapi.json').then((r) => r.json()), fetch('/api/machines/circulation').then((r) => r.json())]).then(
    ([doc, machine]) => ({ notice: doc.components.schemas.NoticeEvent.oneOf, circulation: doc.components.schemas.CirculationEvent.oneOf, machine }),
  );
  return vocabulary;
}

/**
 * One form per event: its text fields and checkboxes are the event's body schema in the OpenAPI
 * document (required ones marked), so the dashboard asks for exactly what the API wants.
 * @param {string} type @param {any[]} variants @param {string} id
 */
function eventForm(type, variants, id) {
  const schema = variants.find((v) => v.properties?.type?.enum?.[0] === type);
  const required = new Set(schema?.required ?? []);
  const fields = Object.entries(schema?.properties ?? {})
    .filter(([name, p]) => name !== 'type' && (/** @type {any} */ (p).type === 'string' || /** @type {any} */ (p).type === 'boolean'))
    .map(([name, p]) => {
      const fieldId = `${id}-${name}`;
      return /** @type {any} */ (p).type === 'boolean'
        ? `<label><input type="checkbox" id="${fieldId}" name="${name}"> ${esc(name)}</label>`
        : `<label for="${fieldId}">${esc(name)}${required.has(name) ? '' : ' (optional)'}</label> <input type="text" id="${fieldId}" name="${name}"${required.has(name) ? ' required' : ''}>`;
    });
  return `<form data-event="${esc(type)}" id="${id}"><fieldset><legend>${esc(type)}</legend> ${fields.join(' ')} <button type="submit">Send ${esc(type)}</button></fieldset></form>`;
}

/** @param {HTMLFormElement} form */
function bodyOf(form) {
  /** @type {Record<string, unknown>} */
  const body = { type: form.dataset.event };
  for (const input of form.querySelectorAll('input')) {
    if (input.type === 'checkbox') body[input.name] = input.checked;
    else if (input.value.trim()) body[input.name] = input.value.trim();
  }
  return body;
}

/**
 * @param {any} notice
 * @param {{ country: string, state: string, version: number }[]} records
 */
async function renderActions(notice, records) {
  const me = /** @type {Me} */ (state.me);
  const { notice: noticeVariants, circulation: recordVariants, machine } = await loadVocabulary();
  $('act-error').textContent = '';
  $('act-notice').innerHTML = notice.allowedEvents.map((/** @type {string} */ type) => eventForm(type, noticeVariants, `act-${type}`)).join('');
  // An ncb acts on its own country's record: the events the circulation machine takes from its state.
  const own = me.role === 'ncb' ? records.find((r) => r.country === me.country) : undefined;
  const typeGuard = (/** @type {any} */ t) => t.guards.find((/** @type {any} */ g) => g.type === 'noticeTypeIs');
  const recordEvents = own
    ? machine.transitions
        .filter((/** @type {any} */ t) => t.source === own.state && t.roles.some((/** @type {string} */ r) => r.startsWith('ncb')))
        .filter((/** @type {any} */ t) => !typeGuard(t) || typeGuard(t).params.type === notice.type)
        .map((/** @type {any} */ t) => t.event)
    : [];
  $('act-record').innerHTML = own
    ? `<p>Your record (${esc(own.country)}): <strong data-testid="own-record">${esc(own.state)}</strong></p>${recordEvents.map((/** @type {string} */ type) => eventForm(type, recordVariants, `rec-${type}`)).join('')}`
    : '';
  $('act').hidden = !notice.allowedEvents.length && !recordEvents.length;
  for (const form of /** @type {NodeListOf<HTMLFormElement>} */ (document.querySelectorAll('#act form'))) {
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const onRecord = form.id.startsWith('rec-');
      const path = onRecord ? `/api/notices/${notice.id}/circulation/${own?.country}/events` : `/api/notices/${notice.id}/events`;
      // If-Match: the version this page shows, so acting on a stale view is refused, not misapplied.
      const version = onRecord ? own?.version : notice.version;
      api(path, { method: 'POST', body: JSON.stringify(bodyOf(form)), headers: { 'if-match': String(version) } })
        .then(() => showNotice(notice.id))
        .catch((error) => {
          $('act-error').textContent = error instanceof Error ? error.message : String(error);
        });
    });
  }
}

let diagramCount = 0;
async function renderDiagram(/** @type {string} */ text, target = $('diagram')) {
  const mermaid = /** @type {any} */ (window).mermaid;
  if (!mermaid) {
    target.textContent = text;
    return;
  }
  const { svg } = await mermaid.render(`diagram-${++diagramCount}`, text);
  target.innerHTML = svg;
}

/** @type {Promise<{ features: any[], codes: Record<string, string>, points: Record<string, { name: string, lat: number, lng: number }> }> | null} */
let world = null;
function loadWorld() {
  world ??= Promise.all(['/assets/world-110m.json', '/assets/country-codes.json', '/assets/country-points.json'].map((u) => fetch(u).then((r) => r.json()))).then(
    ([topology, codes, points]) => ({ features: /** @type {any} */ (window).topojson.feature(topology, topology.objects.countries).features, codes, points }),
  );
  return world;
}

/**
 * @param {Notice} notice
 * @param {{ country: string, state: string }[]} records
 */
async function renderMap(notice, records) {
  const { features, codes, points } = await loadWorld();
  const d3 = /** @type {any} */ (window).d3;
  const byCountry = new Map(records.map((r) => [r.country, r.state]));
  const projection = d3.geoNaturalEarth1().fitSize([960, 500], { type: 'FeatureCollection', features });
  const path = d3.geoPath(projection);
  const drawn = new Set();
  const shapes = features.map((/** @type {any} */ f) => {
    const code = codes[String(f.id)] ?? '';
    drawn.add(code);
    const recordState = byCountry.get(code);
    const fill = code === notice.requestingCountry ? REQUESTER_COLOUR : recordState ? RECORD_COLOURS[recordState] ?? '#ccc' : NO_RECORD_COLOUR;
    const label = `${f.properties?.name ?? code}: ${code === notice.requestingCountry ? 'requesting country' : (recordState ?? 'no record')}`;
    return `<path d="${path(f) ?? ''}" fill="${fill}" data-country="${code}" data-state="${recordState ?? ''}"><title>${esc(label)}</title></path>`;
  });
  // Countries too small for the map (Monaco among them) are dots where they are, when they take part.
  const involved = [notice.requestingCountry, ...records.filter((r) => r.state !== 'closed').map((r) => r.country)];
  const dots = involved
    .filter((code) => !drawn.has(code) && points[code])
    .map((code) => {
      const [x, y] = projection([points[code].lng, points[code].lat]);
      const recordState = byCountry.get(code);
      const fill = code === notice.requestingCountry ? REQUESTER_COLOUR : RECORD_COLOURS[recordState ?? ''] ?? '#ccc';
      const label = `${points[code].name}: ${code === notice.requestingCountry ? 'requesting country' : recordState}`;
      return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="4" fill="${fill}" stroke="#fff" stroke-width="1" data-country="${code}" data-state="${recordState ?? ''}"><title>${esc(label)}</title></circle>`;
    });
  $('map').innerHTML = `<svg viewBox="0 0 960 500" role="img" aria-label="World map of the notice's circulation">${shapes.join('')}${dots.join('')}</svg>`;
  const counts = /** @type {Record<string, number>} */ ({});
  for (const r of records) counts[r.state] = (counts[r.state] ?? 0) + 1;
  $('map-legend').innerHTML = [
    `<li><i style="background:${REQUESTER_COLOUR}"></i>requesting country</li>`,
    ...Object.entries(RECORD_COLOURS)
      .filter(([s]) => counts[s])
      .map(([s, colour]) => `<li><i style="background:${colour}"></i>${s} (${counts[s]})</li>`),
  ].join('');
  const acted = records.filter((r) => r.state !== 'received' && r.state !== 'closed');
  const dotted = involved.filter((code) => !drawn.has(code));
  $('map-note').textContent = [
    records.length ? '' : 'Not circulated yet.',
    acted.length ? `Acted on: ${acted.map((r) => `${r.country} ${r.state}`).join(', ')}.` : '',
    dotted.length ? `Shown as dots (too small for this map): ${dotted.join(', ')}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

// ——— live stream ———

let streamRetryMs = 2000;
function openStream() {
  const me = /** @type {Me} */ (state.me);
  const controller = new AbortController();
  state.stream = controller;
  const headers = new Headers({ authorization: `Bearer ${state.token}` });
  if (state.lastEventId) headers.set('last-event-id', state.lastEventId);
  fetch(`/api/exercises/${me.exercise.id}/stream`, { headers, signal: controller.signal })
    .then(async (res) => {
      if ([401, 403, 404].includes(res.status)) {
        // The token was revoked (or the exercise is gone): retrying would only count failed sign-ins.
        controller.abort();
        announce('Signed out: this token no longer works.');
        $('who').textContent = 'Signed out: this token no longer works';
        return;
      }
      if (!res.ok || !res.body) throw new Error(`stream ${res.status}`);
      streamRetryMs = 2000;
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          handleMessage(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
      throw new Error('stream ended');
    })
    .catch(() => {
      // Reconnect from the last event seen: the server sends exactly what was missed. Back off while it fails.
      if (controller.signal.aborted) return;
      setTimeout(openStream, streamRetryMs);
      streamRetryMs = Math.min(streamRetryMs * 2, 30_000);
    });
}

function handleMessage(/** @type {string} */ block) {
  /** @type {{ id?: string, event?: string, data: string }} */
  const message = { data: '' };
  for (const line of block.split('\n')) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const field = line.slice(0, i);
    const value = line.slice(i + 1).replace(/^ /, '');
    if (field === 'id') message.id = value;
    else if (field === 'event') message.event = value;
    else if (field === 'data') message.data += value;
  }
  if (message.id) state.lastEventId = message.id;
  if (message.event !== 'notice-event') return;
  /** @type {StreamEvent} */
  const event = JSON.parse(message.data);
  onEvent(event);
}

/** @type {ReturnType<typeof setTimeout> | null} */
let refreshTimer = null;
/** @type {ReturnType<typeof setTimeout> | null} */
let heatTimer = null;
function onEvent(/** @type {StreamEvent} */ event) {
  const known = state.notices.get(event.noticeId);
  if (!known) {
    // A notice this list has not seen yet.
    reloadNoticesSoon();
  } else if (known.state !== event.noticeState) {
    known.state = event.noticeState;
    known.updatedAt = event.at;
    renderNotices(event.noticeId);
    announce(`${noticeName(known)} is now ${event.noticeState}`);
  }
  if (!state.current && !$('paths').hidden) {
    if (heatTimer) clearTimeout(heatTimer);
    heatTimer = setTimeout(() => void showHeatmap(), 500);
  }
  if (state.current === event.noticeId) {
    // Events come in bursts (195 records close at once): redraw once the burst is over.
    if (refreshTimer) clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void showNotice(event.noticeId), 150);
  }
}

// ——— clock ———

/** @type {{ now: number, at: number, running: boolean, speed: number } | null} */
let clock = null;
async function startClock() {
  const me = /** @type {Me} */ (state.me);
  const read = async () => {
    const c = await api(`/api/exercises/${me.exercise.id}/clock`);
    clock = { now: Date.parse(c.now), at: Date.now(), running: c.running, speed: c.speed };
    drawClock();
  };
  await read();
  setInterval(() => void read().catch(() => undefined), 10_000);
  setInterval(drawClock, 1000);
  if (me.role === 'facilitator') renderClockControls();
}

function drawClock() {
  if (!clock) return;
  const now = clock.running ? clock.now + (Date.now() - clock.at) * clock.speed : clock.now;
  const out = document.getElementById('clock-now');
  const text = `${new Date(Math.min(now, 253402300799000)).toISOString().slice(0, 16).replace('T', ' ')}Z ${clock.running ? `▶ ×${clock.speed}` : '❚❚'}`;
  if (out) out.textContent = text;
  else $('clock').insertAdjacentHTML('afterbegin', `<span>Simulated <output id="clock-now">${text}</output></span>`);
}

function renderClockControls() {
  const me = /** @type {Me} */ (state.me);
  $('clock').insertAdjacentHTML(
    'beforeend',
    `<button type="button" data-action="pause">Pause</button><button type="button" data-action="resume">Resume</button>
     <form id="advance-form"><label for="advance-by">Advance by</label> <input id="advance-by" value="P1D" size="6" aria-describedby="clock-error"> <button type="submit">Advance</button></form>
     <form id="speed-form"><label for="speed">Speed</label> <input id="speed" type="number" min="1" step="any" value="${clock?.speed ?? 1}" size="7" aria-describedby="clock-error"> <button type="submit">Set</button></form>
     <span id="clock-error" class="error" role="alert"></span>`,
  );
  const act = async (/** @type {object} */ body) => {
    $('clock-error').textContent = '';
    try {
      const c = await api(`/api/exercises/${me.exercise.id}/clock`, { method: 'POST', body: JSON.stringify(body) });
      clock = { now: Date.parse(c.now), at: Date.now(), running: c.running, speed: c.speed };
      drawClock();
      announce(`Clock ${c.now}: ${c.deadlinesFired} deadlines and ${c.injectsFired} injects fired`);
    } catch (error) {
      $('clock-error').textContent = error instanceof Error ? error.message : String(error);
    }
  };
  $('clock').addEventListener('click', (e) => {
    const action = /** @type {HTMLElement} */ (e.target).dataset?.action;
    if (action) void act({ action });
  });
  $('speed-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void act({ action: 'set_speed', speed: Number(/** @type {HTMLInputElement} */ ($('speed')).value) });
  });
  $('advance-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void act({ action: 'advance', by: /** @type {HTMLInputElement} */ ($('advance-by')).value.trim() });
  });
}

// ——— routing ———

function route() {
  if (!state.me) return;
  const match = /^#\/notices\/([0-9a-f-]{36})$/.exec(location.hash);
  state.current = match?.[1] ?? null;
  $('notices').hidden = state.current !== null;
  $('notice').hidden = state.current === null;
  if (state.current) {
    void showNotice(state.current).then(() => $('notice-title').focus?.());
  } else {
    void showHeatmap();
  }
}

// ——— start ———

function init() {
  const mermaid = /** @type {any} */ (window).mermaid;
  mermaid?.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'neutral' });
  $('notice-title').tabIndex = -1;
  $('sign-out').addEventListener('click', signOut);
  $('sign-in-form').addEventListener('submit', (e) => {
    e.preventDefault();
    $('sign-in-error').textContent = '';
    const input = /** @type {HTMLInputElement} */ ($('token'));
    signIn(input.value.trim()).catch((error) => {
      $('sign-in-error').textContent = error instanceof ApiError && error.status === 401 ? 'That token is unknown or revoked.' : String(error.message ?? error);
    });
  });
  window.addEventListener('hashchange', route);
  $('full-labels').addEventListener('change', () => state.current && void showNotice(state.current));
  $('heat-machine').addEventListener('change', () => void showHeatmap());
  $('open-report').addEventListener('click', () => void openReport());
  if (state.token) {
    signIn(state.token).catch(() => {
      sessionStorage.removeItem(TOKEN_KEY);
      $('sign-in').hidden = false;
    });
  } else {
    $('sign-in').hidden = false;
    $('token').focus();
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
