// @ts-check
/** The debrief report, for the facilitator and observers. */
import { api } from './api.js';
import { me } from './state.js';

/** The report is a page of its own; it needs the token, so it is fetched here and opened from memory. */
export async function openReport() {
  const html = await api(`/api/exercises/${me().exercise.id}/report?format=html`, { text: true });
  const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
  window.open(url, '_blank', 'noopener');
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
