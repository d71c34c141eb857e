/**
 * Persons: one person behind records, notices and hits across countries. A team (an NCB, the GS) makes
 * one; the owner of a record, the requester of a notice or the searcher of a hit (or the GS) links it or
 * unlinks it, with a reason. A hit establishes a link: linking it links what it matched too, when no
 * person has that yet. Whoever reads a person sees what is linked that they may see, and no more.
 */
import { randomUUID } from 'node:crypto';
import { simulatedNow } from '../exercises/clock';
import { actorOf, type Principal } from '../exercises/exercise-types';
import type { RunOf } from '../exercises/runs';
import { AppError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors';
import type { Reader } from '../notices/notice-visibility';
import type { CreatePersonInput, LinkTarget, PersonDto, PersonLinkInput } from './person-schemas';
import type { PersonEntry, PersonLink, PersonStore, StoredPerson } from './person-store';
import type { RecordStore } from './record-store';
import { toRecordDto } from './record-service';
import type { Scripted, SearchStore } from './search-store';
import { toHitDto } from './search-service';

export type PersonSummaryDto = Pick<PersonDto, 'id' | 'label' | 'run' | 'createdBy' | 'at'>;

export interface PersonService {
  /** A person made by the principal; a scenario inject's at its own time, with its key and mark. */
  create(
    principal: Principal,
    exerciseId: string,
    body: CreatePersonInput,
    script?: Scripted & { at: Date },
  ): Promise<PersonDto>;
  get(principal: Principal, exerciseId: string, personId: string): Promise<PersonDto>;
  list(principal: Principal, exerciseId: string, run?: number): Promise<PersonSummaryDto[]>;
  link(principal: Principal, exerciseId: string, personId: string, body: PersonLinkInput): Promise<PersonDto>;
  unlink(principal: Principal, exerciseId: string, personId: string, body: PersonLinkInput): Promise<PersonDto>;
}

const LINKERS: ReadonlySet<string> = new Set(['ncb', 'gs']);
const EVERYTHING = 1000;

const targetOf = (body: { recordId?: string; noticeId?: string; hitId?: string }): LinkTarget =>
  body.recordId ? { recordId: body.recordId } : body.noticeId ? { noticeId: body.noticeId } : { hitId: body.hitId! };

const nameOf = (t: LinkTarget) => ('recordId' in t ? 'Record' : 'noticeId' in t ? 'Notice' : 'Hit');
const fieldOf = (t: LinkTarget) => Object.keys(t)[0]!;

/** Who may link each kind of target besides the GS. */
const LINKER_OF = { Record: 'the record’s owner', Notice: 'the notice’s requester', Hit: 'the searching country' };

export function createPersonService(deps: {
  store: PersonStore;
  records: RecordStore;
  searches: SearchStore;
  runOf: RunOf;
  wallNow?: () => Date;
}): PersonService {
  const { store } = deps;
  const wallNow = deps.wallNow ?? (() => new Date());
  const readerOf = (p: Principal): Reader => ({ role: p.role, country: p.country });

  const entryOf = (principal: Principal, type: PersonEntry['type'], reason: string): PersonEntry => ({
    type,
    reason,
    actor: actorOf(principal),
    participantId: principal.participantId,
    at: simulatedNow(principal.clock, wallNow()),
  });

  function mayLink(principal: Principal): void {
    if (!LINKERS.has(principal.role)) {
      throw new ForbiddenError('Persons are made, linked and unlinked by an ncb or the gs');
    }
  }

  /**
   * What linking `target` to `person` links: the target itself, which the caller must see and may link,
   * and for a hit what it matched, when the caller still sees it and no person has it yet (left, if
   * another person takes it meanwhile).
   */
  async function linksOf(principal: Principal, person: StoredPerson, target: LinkTarget): Promise<PersonLink[]> {
    const facts = await store.target(person.exerciseId, readerOf(principal), target);
    if (!facts) throw new NotFoundError(nameOf(target));
    if (principal.role === 'ncb' && facts.linker !== principal.country) {
      throw new ForbiddenError(`Only ${LINKER_OF[nameOf(target)]} (${facts.linker}) or the gs links or unlinks it`);
    }
    if (facts.run !== person.run) {
      throw ValidationError.of(
        `body.${fieldOf(target)}`,
        `must be a ${nameOf(target).toLowerCase()} id (UUID) of the person’s run`,
      );
    }
    if (!facts.matched) return [{ target }];
    const matched = await store.target(person.exerciseId, readerOf(principal), facts.matched);
    return matched?.personId === null && matched.run === person.run
      ? [{ target }, { target: facts.matched, optional: true }]
      : [{ target }];
  }

  /** The person, if the caller may see it (personVisibleSql), with what is linked that the caller sees. */
  async function view(principal: Principal, exerciseId: string, personId: string): Promise<PersonDto> {
    const person = await store.find(personId);
    if (!person || person.exerciseId !== exerciseId || principal.exerciseId !== exerciseId) {
      throw new NotFoundError('Person');
    }
    const reader = readerOf(principal);
    if (!(await store.visible(exerciseId, person.run, reader, [personId])).length) throw new NotFoundError('Person');
    const page = { limit: EVERYTHING, offset: 0, personId };
    const [records, notices, hits, history] = await Promise.all([
      deps.records.list(exerciseId, { run: person.run, reader, ...page }),
      store.notices(personId, reader),
      deps.searches.hits(exerciseId, person.run, reader, page),
      store.history(personId, reader),
    ]);
    return {
      id: person.id,
      label: person.label,
      run: person.run,
      createdBy: person.createdBy,
      at: person.at.toISOString(),
      records: records.map(toRecordDto),
      notices,
      hits: hits.map(toHitDto),
      history: history.map(({ target, ...e }) => ({ ...e, ...target, at: e.at.toISOString() })),
    };
  }

  async function current(principal: Principal, exerciseId: string, personId: string): Promise<StoredPerson> {
    await view(principal, exerciseId, personId);
    const person = (await store.find(personId))!;
    const run = await deps.runOf(exerciseId);
    if (person.run !== run) {
      throw new AppError('EARLIER_RUN', `The person belongs to run ${person.run}, which a reset has ended`, {
        run: person.run,
      });
    }
    return person;
  }

  return {
    async create(principal, exerciseId, body, script) {
      if (principal.exerciseId !== exerciseId) throw new NotFoundError('Exercise');
      mayLink(principal);
      const run = await deps.runOf(exerciseId);
      const entry = { ...entryOf(principal, 'CREATE', body.reason), ...(script && { at: script.at }) };
      const draft = { id: randomUUID(), exerciseId, run, label: body.label, createdBy: entry.actor, at: entry.at };
      const links: PersonLink[] = [];
      for (const target of (body.links ?? []).map(targetOf)) links.push(...(await linksOf(principal, draft, target)));
      const made = await store.create(draft, entry, links, script);
      if (!made) throw new NotFoundError('Exercise');
      return view(principal, exerciseId, made.id);
    },

    get: view,

    async list(principal, exerciseId, run) {
      if (principal.exerciseId !== exerciseId) throw new NotFoundError('Exercise');
      const persons = await store.visible(exerciseId, await deps.runOf(exerciseId, run), readerOf(principal));
      return persons.map((p) => ({
        id: p.id,
        label: p.label,
        run: p.run,
        createdBy: p.createdBy,
        at: p.at.toISOString(),
      }));
    },

    async link(principal, exerciseId, personId, body) {
      mayLink(principal);
      const person = await current(principal, exerciseId, personId);
      const links = await linksOf(principal, person, targetOf(body));
      await store.link(person, links, entryOf(principal, 'LINK', body.reason));
      return view(principal, exerciseId, personId);
    },

    async unlink(principal, exerciseId, personId, body) {
      mayLink(principal);
      const person = await current(principal, exerciseId, personId);
      const target = targetOf(body);
      await linksOf(principal, person, target);
      if (!(await store.unlink(person, target, entryOf(principal, 'UNLINK', body.reason)))) {
        throw new AppError('NOT_LINKED', `${fieldOf(target)} is not linked to this person`);
      }
      return view(principal, exerciseId, personId);
    },
  };
}
