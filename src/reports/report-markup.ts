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
