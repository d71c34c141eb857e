/**
 * What teams typed, as the debrief shows it: an event's free text (details, reasons, questions, answers,
 * a CCF decision's reference), a refusal's grounds in words, and which fields an answer corrected. Data,
 * never markup: the HTML escapes it and the charts draw it as text.
 */
import { fieldLabel, labelOf } from '../kernel/labels';
import { countryName } from '../countries/member-countries';
import type { Participant } from '../exercises/exercise-types';

export interface TypedText {
  /** The payload's field: details, reason, question, answer, grounds, decisionRef, changes. */
  field: string;
  /** The field's label, from the catalogue. */
  label: string;
  text: string;
}

const FREE_TEXT = ['details', 'reason', 'question', 'answer', 'decisionRef'] as const;

/** Dotted paths of the leaves of a correction (`subject.familyName`), arrays counted as one field. */
function leafPaths(value: unknown, prefix: string[] = []): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix.join('.')];
  return Object.entries(value).flatMap(([key, inner]) => leafPaths(inner, [...prefix, key]));
}

/** An event's typed text, in a fixed order; empty when the event carried none. */
export function typedText(payload: Record<string, unknown>): TypedText[] {
  const out: TypedText[] = [];
  for (const field of FREE_TEXT) {
    const value = payload[field];
    if (typeof value === 'string' && value !== '') out.push({ field, label: fieldLabel(field), text: value });
  }
  if (Array.isArray(payload.grounds) && payload.grounds.length) {
    const words = payload.grounds.map((g) => labelOf('refusalGrounds', String(g)));
    out.push({ field: 'grounds', label: fieldLabel('grounds'), text: words.join('; ') });
  }
  if (payload.changes && typeof payload.changes === 'object') {
    const fields = leafPaths(payload.changes).filter((p) => p !== '');
    if (fields.length) {
      out.push({ field: 'changes', label: fieldLabel('changes'), text: fields.map((p) => fieldLabel(p)).join('; ') });
    }
  }
  return out;
}

/** The typed text on one line, shortened to `max` characters (with an ellipsis) for a chart's label. */
export function shortText(typed: readonly TypedText[], max: number): string {
  const line = typed
    .map((t) => t.text)
    .join(' · ')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length <= max ? line : `${line.slice(0, Math.max(1, max - 1)).trimEnd()}…`;
}

export { countryName };

/**
 * How a participant is called in the report: its name with its country (or role) in brackets,
 * "NCB Paris (France)"; without a name, its role and country, "National Central Bureau (France)".
 */
export function participantName(p: Pick<Participant, 'name' | 'role' | 'country'>): string {
  const role = labelOf('roles', p.role);
  const where = p.country ? countryName(p.country) : null;
  if (p.name) return `${p.name} (${where ?? role})`;
  return where ? `${role} (${where})` : role;
}
