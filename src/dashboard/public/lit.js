// @ts-check
/**
 * lit-html, served by the app from its npm package (see dashboard-routes.ts). Imported by path, with
 * no import map, so the page's Content-Security-Policy stays `script-src 'self'`; the views import it
 * from here so the path is written once. Its templates escape every value they are given.
 */
export { html, svg, render, nothing } from '/assets/vendor/lit-html/lit-html.js';
export { repeat } from '/assets/vendor/lit-html/directives/repeat.js';
export { unsafeSVG } from '/assets/vendor/lit-html/directives/unsafe-svg.js';
