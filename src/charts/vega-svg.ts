/**
 * The project's one way to draw a chart: a Vega-Lite specification in, a self-contained SVG string out,
 * rendered on the server with no browser (Vega's headless renderer). The same input gives the same
 * bytes: time scales read UTC, ids are numbered per drawing, and nothing points outside the SVG (no
 * font, image or link URL). Vega and Vega-Lite ship as ES modules only: loaded once, on first use.
 */

/** A Vega-Lite specification (https://vega.github.io/vega-lite/docs/spec.html), as plain data. */
export type ChartSpec = Record<string, unknown>;

export interface ChartOptions {
  /** Prefix for the ids inside the SVG, so several charts can share one page. */
  idPrefix?: string;
}

type Vega = typeof import('vega', { with: { 'resolution-mode': 'import' } });
type VegaLite = typeof import('vega-lite', { with: { 'resolution-mode': 'import' } });

let libraries: Promise<{ vega: Vega; vegaLite: VegaLite }> | undefined;

function load(): Promise<{ vega: Vega; vegaLite: VegaLite }> {
  // One after the other: they share modules, and Jest's ES module loader fails on two loads of one at once.
  libraries ??= (async () => {
    const vega = await import('vega');
    return { vega, vegaLite: await import('vega-lite') };
  })();
  return libraries;
}

/** Defaults every chart shares: print-friendly type and colours, no external font. */
const CONFIG = {
  font: 'Helvetica, Arial, sans-serif',
  background: 'white',
  view: { stroke: null },
  axis: {
    labelFontSize: 10,
    titleFontSize: 11,
    labelColor: '#333',
    titleColor: '#222',
    gridColor: '#e6e6e6',
    labelLimit: 320,
  },
  legend: {
    labelFontSize: 10,
    titleFontSize: 11,
    orient: 'bottom',
    direction: 'horizontal',
    columns: 3,
    labelLimit: 0,
  },
  title: { fontSize: 13, anchor: 'start' },
};

/** Draws a Vega-Lite chart as an SVG document fragment (`<svg …>…</svg>`). */
export async function chartSvg(spec: ChartSpec, options: ChartOptions = {}): Promise<string> {
  const { vega, vegaLite } = await load();
  const { $schema: _schema, config, ...rest } = spec as ChartSpec & { config?: Record<string, unknown> };
  const compiled = vegaLite.compile({ ...rest, config: { ...CONFIG, ...config } } as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return numberIds(await view.toSVG(), options.idPrefix ?? 'chart');
  } finally {
    view.finalize();
  }
}

/** Vega numbers clip paths and gradients from a counter kept across drawings: renumber them per drawing. */
function numberIds(svg: string, prefix: string): string {
  const ids = new Map<string, string>();
  for (const [, id] of svg.matchAll(/\bid="([^"]+)"/g)) if (!ids.has(id!)) ids.set(id!, `${prefix}-${ids.size + 1}`);
  if (!ids.size) return svg;
  return svg
    .replace(/\bid="([^"]+)"/g, (_m, id: string) => `id="${ids.get(id)}"`)
    .replace(/url\(#([^)]+)\)/g, (m, id: string) => (ids.has(id) ? `url(#${ids.get(id)})` : m))
    .replace(/href="#([^"]+)"/g, (m, id: string) => (ids.has(id) ? `href="#${ids.get(id)}"` : m));
}
