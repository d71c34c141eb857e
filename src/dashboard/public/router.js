// @ts-check
/**
 * The routes: `#/` (the list and the exercise's paths), `#/notices/<id>` (one notice), and the request
 * form's (`#/request/RED|YELLOW`, `#/notices/<id>/edit`; request-form.js).
 */
import { $ } from './dom.js';
import { showHeatmap } from './heatmap.js';
import { showNotice } from './notice-page.js';
import { requestRoute, showRequestForm } from './request-form.js';
import { state } from './state.js';

export function route() {
  if (!state.me) return;
  const form = requestRoute(location.hash);
  $('request').hidden = !form;
  if (form) {
    state.current = null;
    $('notices').hidden = true;
    $('notice').hidden = true;
    void showRequestForm(form);
    return;
  }
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
