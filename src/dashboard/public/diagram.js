// @ts-check
/** State diagrams and heatmaps, drawn by Mermaid (served by the app, loaded as `window.mermaid`). */
import { $ } from './dom.js';
import { render, unsafeSVG } from './lit.js';

const mermaid = () => /** @type {any} */ (window).mermaid;

export function initDiagrams() {
  mermaid()?.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'neutral' });
}

let diagramCount = 0;
/** Draws Mermaid `text` into `target`; without Mermaid, shows the text itself. */
export async function renderDiagram(/** @type {string} */ text, target = $('diagram')) {
  if (!mermaid()) {
    render(text, target);
    return;
  }
  const { svg } = await mermaid().render(`diagram-${++diagramCount}`, text);
  // Markup, but no data in it: the text is the server's diagram of a machine definition (state, event,
  // role and guard names, and counts; no notice's data), and Mermaid in strict mode sanitises its labels.
  render(unsafeSVG(svg), target);
}
