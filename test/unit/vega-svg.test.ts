import { XMLValidator } from 'fast-xml-parser';
import { chartSvg } from '../../src/charts/vega-svg';

const spec = {
  width: 300,
  height: 80,
  data: { values: [{ who: '<b>NCB</b> & co', t: Date.UTC(2026, 2, 2), label: 'Hit <script>x</script>' }, { who: 'GS', t: Date.UTC(2026, 2, 9), label: 'Approved' }] },
  layer: [
    { mark: { type: 'point', clip: true }, encoding: { x: { field: 't', type: 'temporal', scale: { type: 'utc' } }, y: { field: 'who', type: 'nominal' } } },
    { mark: { type: 'text', dx: 4, align: 'left' }, encoding: { x: { field: 't', type: 'temporal', scale: { type: 'utc' } }, y: { field: 'who', type: 'nominal' }, text: { field: 'label' } } },
  ],
};

describe('chartSvg, the one way to draw a chart', () => {
  it('draws a Vega-Lite chart as well-formed SVG with its text as escaped text', async () => {
    const svg = await chartSvg(spec);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain('>Hit &lt;script&gt;x&lt;/script&gt;</text>');
    expect(svg).toContain('>&lt;b&gt;NCB&lt;/b&gt; &amp; co</text>');
    expect(svg).not.toMatch(/<script|<b>/);
  });

  it('gives the same bytes for the same input, whatever was drawn before, with ids of its own prefix', async () => {
    const first = await chartSvg(spec, { idPrefix: 'a' });
    await chartSvg(spec, { idPrefix: 'b' });
    const again = await chartSvg(spec, { idPrefix: 'a' });
    expect(again).toBe(first);
    const ids = [...first.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(id).toMatch(/^a-\d+$/);
  });

  it('points nowhere outside the drawing: no URL but the SVG namespaces, no font to fetch', async () => {
    const svg = await chartSvg({ ...spec, title: 'Events', $schema: 'https://vega.github.io/schema/vega-lite/v6.json' });
    expect(svg.replace(/xmlns(:xlink)?="http:\/\/www\.w3\.org\/[^"]+"/g, '')).not.toMatch(/https?:|@font-face|@import/);
  });
});
