/**
 * Why an APPROVE is refused, in the words of the labels catalogue: which check fails, what it found,
 * and what the General Secretariat can do about it, so a trainee at the form knows which box to tick
 * or what to ask the NCB for.
 */
import { eventLabel, fieldLabel, labelOf } from '../kernel/labels';
import type { CheckResult } from './notice-types';

/** What the GS can do about one failing check, and the APPROVE fields that would change the outcome. */
function adviceFor(check: CheckResult): { advice: string; fields: string[] } {
  const ask = `“${eventLabel('REQUEST_INFO', 'action')}”`;
  const named = check.missing.map((f) => fieldLabel(f));
  const missing = named.length ? ` (${[...new Set(named)].join(', ')})` : '';
  if (check.id === 'RED-ARTICLE-3') {
    return {
      advice:
        `Tick “${fieldLabel('article3Cleared')}” once the review finds no such character; ` +
        `if it finds one, refuse the request.`,
      fields: ['article3Cleared'],
    };
  }
  if (check.id === 'RED-PENALTY-THRESHOLD') {
    return {
      advice:
        `${ask} for the penalty or sentence${missing}, or tick “${fieldLabel('particularImportance')}” ` +
        'if the case warrants it.',
      fields: ['particularImportance'],
    };
  }
  if (check.id === 'RED-CRIME-CATEGORY') {
    return {
      advice: `${ask} about the offence${missing}, or refuse the request: an excluded category cannot be published.`,
      fields: [],
    };
  }
  return { advice: `${ask} for what is missing${missing}.`, fields: [] };
}

/**
 * The message and details of a refused APPROVE, from the checks as run with the GS's judgement:
 * `failingChecks` (ids), and `fields`, the APPROVE form's fields that bear on them.
 */
export function approvalRefusal(failing: readonly CheckResult[]): {
  message: string;
  failingChecks: string[];
  fields: string[];
} {
  const parts = failing.map((check) => {
    const { advice } = adviceFor(check);
    return `“${labelOf('checks', check.id)}” (${check.id}) fails: ${check.message} ${advice}`;
  });
  const lead = failing.length === 1 ? 'Cannot approve and publish yet.' : 'Cannot approve and publish yet:';
  return {
    message: `${lead} ${parts.join(' ')}`,
    failingChecks: failing.map((c) => c.id),
    fields: [...new Set(failing.flatMap((c) => adviceFor(c).fields))],
  };
}
