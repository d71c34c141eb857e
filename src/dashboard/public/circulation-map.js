// @ts-check
/** The world map of a notice's circulation: each member country by its record's state (d3-geo, topojson). */
import { $ } from './dom.js';
import { html, render, svg } from './lit.js';

/** @typedef {import('./state.js').Notice} Notice */
/** @typedef {{ country: string, state: string }} MapRecord */

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

/**
 * @typedef {{ features: any[], codes: Record<string, string>,
 *   points: Record<string, { name: string, lat: number, lng: number }> }} World
 */
/** @type {Promise<World> | null} */
let world = null;
function loadWorld() {
  const files = ['/assets/world-110m.json', '/assets/country-codes.json', '/assets/country-points.json'];
  world ??= Promise.all(files.map((u) => fetch(u).then((r) => r.json()))).then(([topology, codes, points]) => ({
    features: /** @type {any} */ (window).topojson.feature(topology, topology.objects.countries).features,
    codes,
    points,
  }));
  return world;
}

const legendItem = (/** @type {string} */ colour, /** @type {string} */ text) =>
  html`<li><i style="background:${colour}"></i>${text}</li>`;

/** Draws the map, its legend and a note of who acted. */
export async function renderMap(/** @type {Notice} */ notice, /** @type {MapRecord[]} */ records) {
  const { features, codes, points } = await loadWorld();
  const d3 = /** @type {any} */ (window).d3;
  const byCountry = new Map(records.map((r) => [r.country, r.state]));
  const projection = d3.geoNaturalEarth1().fitSize([960, 500], { type: 'FeatureCollection', features });
  const path = d3.geoPath(projection);
  const requester = (/** @type {string} */ code) => code === notice.requestingCountry;
  const drawn = new Set();
  const shapes = features.map((/** @type {any} */ f) => {
    const code = codes[String(f.id)] ?? '';
    drawn.add(code);
    const recordState = byCountry.get(code);
    const colour = recordState ? (RECORD_COLOURS[recordState] ?? '#ccc') : NO_RECORD_COLOUR;
    const fill = requester(code) ? REQUESTER_COLOUR : colour;
    const status = requester(code) ? 'requesting country' : (recordState ?? 'no record');
    const label = `${f.properties?.name ?? code}: ${status}`;
    return svg`<path d=${path(f) ?? ''} fill=${fill} data-country=${code} data-state=${recordState ?? ''}><title>${
      label
    }</title></path>`;
  });
  // Countries too small for the map (Monaco among them) are dots where they are, when they take part.
  const involved = [notice.requestingCountry, ...records.filter((r) => r.state !== 'closed').map((r) => r.country)];
  const dots = involved
    .filter((code) => !drawn.has(code) && points[code])
    .map((code) => {
      const [x, y] = projection([points[code].lng, points[code].lat]);
      const recordState = byCountry.get(code);
      const fill = requester(code) ? REQUESTER_COLOUR : (RECORD_COLOURS[recordState ?? ''] ?? '#ccc');
      const label = `${points[code].name}: ${requester(code) ? 'requesting country' : recordState}`;
      return svg`<circle cx=${x.toFixed(1)} cy=${y.toFixed(1)} r="4" fill=${fill} stroke="#fff" stroke-width="1"
        data-country=${code} data-state=${recordState ?? ''}><title>${label}</title></circle>`;
    });
  const map = html`<svg viewBox="0 0 960 500" role="img" aria-label="World map of the notice's circulation">
    ${shapes}${dots}
  </svg>`;
  render(map, $('map'));
  const counts = /** @type {Record<string, number>} */ ({});
  for (const r of records) counts[r.state] = (counts[r.state] ?? 0) + 1;
  const present = Object.entries(RECORD_COLOURS).filter(([s]) => counts[s]);
  const legend = present.map(([s, colour]) => legendItem(colour, `${s} (${counts[s]})`));
  render([legendItem(REQUESTER_COLOUR, 'requesting country'), ...legend], $('map-legend'));
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
