// @ts-check
/** The paths the exercise took (under the list, for the roles that see all of it): a heatmap of a machine. */
import { api } from './api.js';
import { renderDiagram } from './diagram.js';
import { $ } from './dom.js';
import { me, state } from './state.js';

export async function showHeatmap() {
  if (me().role === 'ncb' || state.current) return;
  const machine = /** @type {HTMLSelectElement} */ ($('heat-machine')).value;
  const query = `machine=${machine}&format=mermaid&labels=events`;
  const text = await api(`/api/exercises/${me().exercise.id}/heatmap?${query}`, { text: true });
  await renderDiagram(text, $('heatmap'));
}
