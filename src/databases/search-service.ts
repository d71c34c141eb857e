/**
 * Searches of the databases by a team (an NCB, the GS, the CCF): over the records the searcher may
 * see, by name and date of birth (fuzzy, scored: matchers.ts), by a print or DNA template (the
 * simulated matcher), by document, VIN or plate (exact, normalised). What scores at least the threshold
 * is a hit; the search and its hits are recorded, and the owners of what matched hear of them on the
 * exercise's stream.
 */
import { randomUUID } from 'node:crypto';
import { countryName } from '../countries/member-countries';
import { simulatedNow } from '../exercises/clock';
import { labelOf } from '../kernel/labels';
import { actorOf, type Principal } from '../exercises/exercise-types';
import type { RunOf } from '../exercises/runs';
import { ForbiddenError, NotFoundError } from '../kernel/errors';
import { EXERCISE_MATCHER, HIT_THRESHOLD, nameScore, personScore, templateScore } from './matchers';
import { nameKey } from '../kernel/name-keys';
import { compactCode, documentKey, plateKey } from './record-keys';
import type { HitDto, SearchDto, SearchInput } from './search-schemas';
import type { Candidate, Lookup, NewHit, Scripted, SearchStore, StoredHit } from './search-store';

export interface SearchService {
  /** A search by the principal; a scenario inject's at its own time, with its key and mark. */
  search(
    principal: Principal,
    exerciseId: string,
    body: SearchInput,
    script?: Scripted & { at: Date },
  ): Promise<SearchDto>;
  hits(
    principal: Principal,
    exerciseId: string,
    query: { run?: number; limit: number; offset: number },
  ): Promise<HitDto[]>;
}

const SEARCHERS: ReadonlySet<string> = new Set(['ncb', 'gs', 'ccf']);

function lookupOf(body: SearchInput): Lookup | null {
  switch (body.kind) {
    case 'name': {
      const key = nameKey(body.familyName, body.forename);
      return key ? { by: 'name', nameKey: key } : null;
    }
    case 'fingerprints':
      return { by: 'template', kind: 'fingerprints', template: body.template };
    case 'dna':
      return { by: 'template', kind: 'dna', template: body.profile };
    case 'document':
      return { by: 'documentKey', value: documentKey(body.issuingCountry, body.documentNumber) };
    case 'vin':
      return { by: 'vin', value: compactCode(body.vin) };
    case 'plate':
      return { by: 'plateKey', value: plateKey(body.registrationCountry, body.plate) };
  }
}

/** A candidate's score for the search: the name matcher, the template matcher, or 1 for an exact key. */
function scoreOf(body: SearchInput, lookup: Lookup, candidate: Candidate, searchId: string): number {
  if (lookup.by === 'name' && body.kind === 'name') {
    return personScore(nameScore(lookup.nameKey, candidate.nameKey ?? ''), body.dateOfBirth, candidate.birthDate);
  }
  if (lookup.by === 'template')
    return templateScore(lookup.template, candidate.template ?? '', searchId, EXERCISE_MATCHER);
  return 1;
}

/** What the `system` tells the owner of what a search hit, in words; nothing when the owner searched. */
function tellOwner(principal: Principal, searchKind: SearchInput['kind'], c: Candidate, score: number): NewHit['told'] {
  if (principal.role === 'ncb' && principal.country === c.ownerCountry) return undefined;
  const searcher =
    principal.role === 'ncb' ? `${countryName(principal.country ?? '')} (NCB)` : principal.role.toUpperCase();
  const matched = c.noticeId ? 'the subject of your notice' : `your record (${labelOf('recordKinds', c.kind)})`;
  return {
    messageId: randomUUID(),
    subject: `Hit: a ${searchKind} search by ${searcher} matched ${matched}`,
    body:
      `A ${searchKind} search by ${searcher} matched ${matched} with a score of ${score.toFixed(2)}. ` +
      'Contact the searching country through the hit, and update your national records if needed.',
  };
}

const idOf = (c: Candidate) => c.recordId ?? c.noticeId ?? '';

/** A hit as a search answers it: what matched, by its own id (a record's or a notice's), and its person. */
function hitOfSearch(hit: NewHit): SearchDto['hits'][number] {
  return {
    id: hit.id,
    score: hit.score,
    kind: hit.kind,
    ownerCountry: hit.ownerCountry,
    ...(hit.recordId && { recordId: hit.recordId }),
    ...(hit.noticeId && { noticeId: hit.noticeId }),
    ...(hit.personId && { personId: hit.personId }),
  };
}

/** A recorded hit as the API lists it. */
export const toHitDto = (h: StoredHit): HitDto => ({
  ...hitOfSearch(h),
  searchId: h.searchId,
  searchKind: h.searchKind,
  searcher: h.searcher,
  at: h.at.toISOString(),
  ...(h.reportedAt && { reportedAt: h.reportedAt.toISOString() }),
});

export function createSearchService(deps: {
  store: SearchStore;
  runOf: RunOf;
  onCommitted: (exerciseId: string) => Promise<void>;
  wallNow?: () => Date;
}): SearchService {
  const wallNow = deps.wallNow ?? (() => new Date());
  return {
    async search(principal, exerciseId, body, script) {
      if (principal.exerciseId !== exerciseId) throw new NotFoundError('Exercise');
      if (!SEARCHERS.has(principal.role)) {
        throw new ForbiddenError(
          'Searches are made by the teams (an ncb, the gs, the ccf); the facilitator and observers read',
        );
      }
      const reader = { role: principal.role, country: principal.country };
      const id = randomUUID();
      const lookup = lookupOf(body);
      const candidates = lookup ? await deps.store.candidates(exerciseId, reader, lookup) : [];
      const found: NewHit[] = candidates
        .map((c) => ({ c, score: lookup ? scoreOf(body, lookup, c, id) : 0 }))
        .filter(({ score }) => score >= HIT_THRESHOLD)
        .sort((a, b) => b.score - a.score || idOf(a.c).localeCompare(idOf(b.c)))
        .map(({ c, score }) => ({
          id: randomUUID(),
          score: Math.round(score * 1000) / 1000,
          kind: c.kind,
          recordId: c.recordId,
          noticeId: c.noticeId,
          ownerCountry: c.ownerCountry,
          personId: c.personId,
          told: tellOwner(principal, body.kind, c, score),
        }));
      const { kind, ...query } = body;
      const recorded = await deps.store.record(
        {
          id,
          exerciseId,
          kind,
          query,
          searcher: actorOf(principal),
          reader,
          participantId: principal.participantId,
          at: script?.at ?? simulatedNow(principal.clock, wallNow()),
          script,
        },
        found,
      );
      if (!recorded) throw new NotFoundError('Exercise');
      const hits = found.filter((h) => recorded.has(h.id)).map(hitOfSearch);
      // Only hits are numbered and told: a search that found nothing leaves the sequencer a round short.
      if (hits.length) await deps.onCommitted(exerciseId);
      return { id, hits };
    },

    async hits(principal, exerciseId, query) {
      if (principal.exerciseId !== exerciseId) throw new NotFoundError('Exercise');
      const run = await deps.runOf(exerciseId, query.run);
      const reader = { role: principal.role, country: principal.country };
      const hits = await deps.store.hits(exerciseId, run, reader, query);
      return hits.map(toHitDto);
    },
  };
}
