// @ts-check
/**
 * The routes: `#/` (the list and the exercise's paths), `#/notices/<id>` (one notice), `#/console` (the
 * facilitator's console, which observers see read-only), `#/databases` (searches, hits, persons) and
 * `#/persons/<id>` (databases.js), `#/messages` and `#/messages/about/<noticeId>` (messages.js), and
 * the request form's (`#/request/RED|YELLOW`, `#/notices/<id>/edit`; request-form.js).
 */
import { showConsole, watchesAll } from './console.js';
import { showDatabases } from './databases.js';
import { showMessages } from './messages.js';
import { showPerson } from './person-page.js';
import { $ } from './dom.js';
import { showHeatmap } from './heatmap.js';
import { showNotice } from './notice-page.js';
import { requestRoute, showRequestForm } from './request-form.js';
import { state } from './state.js';

export function route() {
  if (!state.me) return;
  const form = requestRoute(location.hash);
  $('new-request').hidden = !form;
  if (form) {
    state.current = null;
    $('notices').hidden = true;
    $('notice').hidden = true;
    void showRequestForm(form);
    return;
  }
  const match = /^#\/notices\/([0-9a-f-]{36})$/.exec(location.hash);
  state.current = match?.[1] ?? null;
  const person = /^#\/persons\/([0-9a-f-]{36})$/.exec(location.hash)?.[1] ?? null;
  const onDatabases = location.hash === '#/databases';
  const messages = /^#\/messages(?:\/about\/([0-9a-f-]{36}))?$/.exec(location.hash);
  const onConsole = location.hash === '#/console' && watchesAll();
  $('console').hidden = !onConsole;
  $('databases').hidden = !onDatabases;
  $('messages').hidden = !messages;
  $('person').hidden = person === null;
  $('notices').hidden = onConsole || onDatabases || !!messages || person !== null || state.current !== null;
  $('notice').hidden = state.current === null;
  if (messages) {
    void showMessages(messages[1]).then(() => $('messages-title').focus());
  } else if (onDatabases) {
    void showDatabases().then(() => $('databases-title').focus());
  } else if (person) {
    void showPerson(person).then(() => $('person-title')?.focus());
  } else if (onConsole) {
    void showConsole();
  } else if (state.current) {
    void showNotice(state.current).then(() => $('notice-title').focus?.());
  } else {
    void showHeatmap();
  }
}
