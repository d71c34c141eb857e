/** Markup for the debrief page: escaping, elements with escaped attributes, times as read in print. */

import { esc } from '../kernel/html';

export { esc };

/** An element with escaped attribute values; `content` is markup already (escape text with `esc`). */
export function el(name: string, attrs: Record<string, string | number>, content?: string): string {
  const list = Object.entries(attrs)
    .map(([key, value]) => ` ${key}="${esc(value)}"`)
    .join('');
  return content === undefined ? `<${name}${list}/>` : `<${name}${list}>${content}</${name}>`;
}

export const when = (isoTime: string | null): string =>
  isoTime ? isoTime.replace('T', ' ').replace(/:\d\d\.\d{3}Z$/, 'Z') : '—';

/** Words for people with the code beside them, small. */
export const worded = (words: string, code: string): string =>
  words === code ? esc(code) : `${esc(words)} <span class="code">${esc(code)}</span>`;

/** A table of cells that are markup already. */
export function table(headers: string[], rows: string[][], caption?: string): string {
  const head = `<thead><tr>${headers.map((h) => el('th', { scope: 'col' }, esc(h))).join('')}</tr></thead>`;
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('');
  return `<table>${caption ? `<caption>${esc(caption)}</caption>` : ''}${head}<tbody>${body}</tbody></table>`;
}
