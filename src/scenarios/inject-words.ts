import { countryName } from '../countries/member-countries';
import { labelOf } from '../kernel/labels';
import type { StoredInject } from './inject-store';

/** What an inject does, in a short sentence for the facilitator's panel. */

const NOTICE_VERBS: Record<string, string> = {
  SUBMIT: 'submits',
  START_REVIEW: 'starts the review of',
  REQUEST_INFO: 'asks for information on',
  PROVIDE_INFO: 'provides information on',
  APPROVE: 'approves and publishes',
  REFUSE: 'refuses',
  SUSPEND: 'suspends',
  RESUME: 'resumes',
  RENEW: 'renews',
  REPORT_LOCATED: 'reports the person located on',
  WITHDRAW: 'withdraws',
  CANCEL: 'cancels',
  DELETE: 'deletes',
};

const CIRCULATION_VERBS: Record<string, string> = {
  ACKNOWLEDGE: 'acknowledges',
  REPORT_HIT: 'reports a hit on',
  PROVISIONAL_ARREST: 'reports a provisional arrest on',
  DECLINE_ACTION: 'declines action on',
  SURRENDER: 'reports the surrender on',
  REPORT_LOCATED: 'reports the person located on',
};

/** The text a participant typed with the event, shortened. */
function typed(event: Record<string, unknown>): string {
  const text = ['details', 'reason', 'question', 'answer', 'decisionRef'].map((k) => event[k]).find(Boolean);
  if (typeof text !== 'string') return '';
  const chars = [...text];
  return `: ${chars.length > 80 ? `${chars.slice(0, 79).join('')}…` : text}`;
}

/** Who acts: the participant's name, else "France NCB", else its role in words. */
export function actorWords(p: StoredInject['participant']): string {
  if (p.name) return p.name;
  if (p.country) return `${countryName(p.country)} NCB`;
  return labelOf('roles', p.role);
}

/** A message's recipient in words: "France NCB", "General Secretariat". */
const addressWords = (address: string) =>
  /^[A-Z]{2}$/.test(address) ? `${countryName(address)} NCB` : labelOf('roles', address);

/** What a search looks for, in words. */
function searchWords(query: NonNullable<StoredInject['action']['search']>['query']): string {
  switch (query.kind) {
    case 'name':
      return `for ${query.forename} ${query.familyName}${query.dateOfBirth ? `, born ${query.dateOfBirth}` : ''}`;
    case 'fingerprints':
      return `with the fingerprints ${query.template}`;
    case 'dna':
      return 'with a DNA profile';
    case 'document':
      return `for document ${query.documentNumber} (${countryName(query.issuingCountry)})`;
    case 'vin':
      return `for the vehicle ${query.vin}`;
    case 'plate':
      return `for the plate ${query.plate} (${countryName(query.registrationCountry)})`;
  }
}

export function describeInject(inject: StoredInject): string {
  const who = actorWords(inject.participant);
  const { action } = inject;
  if (action.create) {
    const { request, notice } = action.create;
    const subject = request.subject as { forename?: string; familyName?: string } | undefined;
    const name = [subject?.forename, subject?.familyName].filter(Boolean).join(' ');
    const type = request.type === 'RED' ? 'Red' : 'Yellow';
    return `${who} requests a ${type} notice '${notice}'${name ? ` for ${name}` : ''}`;
  }
  if (action.event) {
    const event = action.event.event as { type: string } & Record<string, unknown>;
    const verb = NOTICE_VERBS[event.type] ?? `sends ${event.type} to`;
    return `${who} ${verb} '${action.event.notice}'${typed(event)}`;
  }
  if (action.search)
    return `${who} searches the databases ${searchWords(action.search.query)} ('${action.search.key}')`;
  if (action.person) {
    const { label, links } = action.person;
    return `${who} establishes the person '${label}'${links.length ? `, linking ${links.length} item(s)` : ''}`;
  }
  if (action.message) {
    const { to, subject, priority, replyTo } = action.message;
    const whom = to ? to.map(addressWords).join(', ') : 'the sender';
    const verb = replyTo ? `answers '${replyTo}' to` : 'writes to';
    return `${who} ${verb} ${whom}${priority === 'urgent' ? ' (urgent)' : ''}: ${subject}`;
  }
  const circulation = action.circulation!;
  const event = circulation.event as { type: string } & Record<string, unknown>;
  const verb = CIRCULATION_VERBS[event.type] ?? `sends ${event.type} to`;
  // An NCB acts on its own country's record; say whose record only when it is another's.
  const record =
    circulation.country === inject.participant.country ? '' : ` (${countryName(circulation.country)}’s record)`;
  return `${who} ${verb} '${circulation.notice}'${record}${typed(event)}`;
}
