// @ts-check
/** The two routes: `#/` (the list and the exercise's paths) and `#/notices/<id>` (one notice). */
import { $ } from './dom.js';
import { showHeatmap } from './heatmap.js';
import { showNotice } from './notice-page.js';
import { state } from './state.js';

export function route() {
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
