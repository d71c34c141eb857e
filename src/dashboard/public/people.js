// @ts-check
/** How a participant reads on screen: its name first, its role and country in words. */
import { countryName } from './countries.js';
import { label } from './labels.js';

/** @typedef {{ role: string, country?: string | null, name?: string | null }} Part */

/** The participant's name, else "France NCB", else its role in words. */
export const partName = (/** @type {Part} */ p) =>
  p.name || (p.country ? `${countryName(p.country)} NCB` : label('roles', p.role));

/** Its role in words, with its country's name for an NCB: "National Central Bureau, France". */
export const roleWords = (/** @type {Part} */ p) =>
  `${label('roles', p.role)}${p.country ? `, ${countryName(p.country)}` : ''}`;
