import path from 'node:path';
import express, { type Express } from 'express';
import worldCountries from 'world-countries';
import { PROJECT_ROOT } from '../kernel/project-root';

/**
 * The dashboard at `/`: its own files, and the libraries it draws with, served from this app (no
 * CDN): Mermaid for state diagrams, d3-geo and topojson-client with Natural Earth's world for the map,
 * lit-html for the templates the views render data through, yaml's browser build to read an uploaded
 * scenario's parts before it is sent.
 */
const PUBLIC = path.join(PROJECT_ROOT, 'src/dashboard/public');

const packageFile = (pkg: string, ...rel: string[]) => path.join(path.dirname(require.resolve(pkg)), ...rel);

/**
 * lit-html's ES modules that the dashboard imports (public/lit.js), and those they import by relative path.
 * The package's entry for Node is its `node/` build; the browser build is the package's top folder.
 */
const LIT_HTML = [
  'lit-html.js',
  'directive.js',
  'directive-helpers.js',
  'directives/repeat.js',
  'directives/unsafe-html.js',
  'directives/unsafe-svg.js',
];

const VENDOR: Record<string, string> = {
  'mermaid.min.js': packageFile('mermaid', 'mermaid.min.js'),
  'd3-array.min.js': packageFile('d3-array', '..', 'dist', 'd3-array.min.js'),
  'd3-geo.min.js': packageFile('d3-geo', 'd3-geo.min.js'),
  'topojson-client.min.js': packageFile('topojson-client', 'topojson-client.min.js'),
  ...Object.fromEntries(LIT_HTML.map((file) => [`lit-html/${file}`, packageFile('lit-html', '..', file)])),
};

/** Natural Earth ids are ISO 3166-1 numeric codes; the API speaks alpha-2. */
const COUNTRY_CODES = Object.fromEntries(
  worldCountries.filter((c) => c.ccn3).map((c) => [String(Number(c.ccn3)).padStart(3, '0'), c.cca2]),
);

/** Where each country is, for those too small to draw at this map's scale (Monaco, Malta…): drawn as dots. */
const COUNTRY_POINTS = Object.fromEntries(
  worldCountries.map((c) => [c.cca2, { name: c.name.common, lat: c.latlng[0], lng: c.latlng[1] }]),
);

export function registerDashboard(app: Express): void {
  const cache = { maxAge: '1h', immutable: false } as const;
  app.get('/', (_req, res) => {
    res.sendFile(path.join(PUBLIC, 'index.html'));
  });
  app.use('/assets', express.static(PUBLIC, { ...cache, index: false }));
  for (const [name, file] of Object.entries(VENDOR)) {
    app.get(`/assets/vendor/${name}`, (_req, res) => {
      res.type('application/javascript').sendFile(file, cache);
    });
  }
  // yaml's browser build is ES modules importing each other by relative path: its folder as it is.
  const yaml = path.join(path.dirname(require.resolve('yaml/package.json')), 'browser');
  app.use('/assets/vendor/yaml', express.static(yaml, { ...cache, index: false }));
  app.get('/assets/world-110m.json', (_req, res) => {
    res.sendFile(require.resolve('world-atlas/countries-110m.json'), cache);
  });
  app.get('/assets/country-codes.json', (_req, res) => {
    res.json(COUNTRY_CODES);
  });
  app.get('/assets/country-points.json', (_req, res) => {
    res.json(COUNTRY_POINTS);
  });
}
