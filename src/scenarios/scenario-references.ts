import { Duration } from 'luxon';
import type { z } from 'zod';
import { addIsoDuration, END_OF_TIME_MS } from '../exercises/clock';

/** What the cross-reference checks read of a scenario (the schema's output). */
interface ScenarioShape {
  start: string;
  participants: { key: string; role: string }[];
  records: ({ as: string; key?: string | undefined } | { as: string; file: string })[];
  injects: {
    at: string;
    as: string;
    create?: { notice: string };
    event?: { notice: string };
    circulation?: { notice: string; hitOf?: string | undefined; event: { type: string } };
    search?: { key: string };
    person?: { key: string; links: ({ record: string } | { hitOf: string } | { notice: string })[] };
    message?: {
      key: string;
      to?: string[] | undefined;
      about?: { notice: string } | { hitOf: string } | undefined;
      replyTo?: string | undefined;
    };
  }[];
  expectations: {
    id: string;
    notice?: string | undefined;
    answered?: { message: string } | undefined;
    from: 'start' | { notice: string };
  }[];
}

/**
 * The rules between parts of a scenario, each named where it fails: keys defined once, injects acting
 * as participants that exist, on notices created by an earlier inject (notices come into being in
 * inject time order), at a time before the end of simulated time; expectations on notices injects
 * create. Keys are quoted in the messages.
 */
export function checkReferences(scenario: ScenarioShape, ctx: z.RefinementCtx): void {
  const issue = (message: string, path: (string | number)[]) => ctx.addIssue({ code: 'custom', message, path });
  const participants = new Set<string>();
  scenario.participants.forEach((p, i) => {
    if (participants.has(p.key)) issue(`participant "${p.key}" is defined twice`, ['participants', i, 'key']);
    participants.add(p.key);
  });
  const ncbs = new Set(scenario.participants.filter((p) => p.role === 'ncb').map((p) => p.key));
  const records = new Set<string>();
  scenario.records.forEach((r, i) => {
    if (!ncbs.has(r.as)) issue(`participant "${r.as}" is not an ncb`, ['records', i, 'as']);
    if ('key' in r && r.key !== undefined) {
      if (records.has(r.key)) issue(`record "${r.key}" is defined twice`, ['records', i, 'key']);
      records.add(r.key);
    }
  });
  const start = new Date(scenario.start);
  // Refinements run even when a field failed above: an inject whose time cannot be read is left
  // out of the ordering checks (its own field already carries the problem).
  const when = (at: string): number | null => {
    try {
      const t = addIsoDuration(start, at).getTime();
      return Number.isNaN(t) ? null : t;
    } catch {
      return null;
    }
  };
  scenario.injects.forEach((inject, i) => {
    // Within a hundred years of a valid start, but the start itself may be near the end of time.
    const valid = !Number.isNaN(start.getTime()) && Duration.fromISO(inject.at).isValid;
    if (valid && (when(inject.at) ?? Infinity) > END_OF_TIME_MS) {
      issue('falls after the end of simulated time (year 9999)', ['injects', i, 'at']);
    }
  });
  const order = scenario.injects
    .map((inject, i) => ({ inject, i, t: when(inject.at) }))
    .filter((x): x is { inject: ScenarioShape['injects'][number]; i: number; t: number } => x.t !== null)
    .sort((a, b) => a.t - b.t || a.i - b.i);
  const notices = new Set<string>();
  const searches = new Set<string>();
  const persons = new Set<string>();
  const messages = new Set<string>();
  const searchBefore = (key: string, path: (string | number)[]) => {
    if (!searches.has(key)) issue(`no earlier search "${key}"`, path);
  };
  for (const { inject, i } of order) {
    if (!participants.has(inject.as)) issue(`no participant "${inject.as}"`, ['injects', i, 'as']);
    if (inject.circulation?.hitOf !== undefined) {
      searchBefore(inject.circulation.hitOf, ['injects', i, 'circulation']);
      if (inject.circulation.event.type !== 'REPORT_HIT') {
        issue('hitOf goes with a REPORT_HIT: the hit it names is the one reported', [
          'injects',
          i,
          'circulation',
          'hitOf',
        ]);
      }
    }
    if (inject.search) {
      if (searches.has(inject.search.key)) issue(`search "${inject.search.key}" is defined twice`, ['injects', i]);
      searches.add(inject.search.key);
    }
    if (inject.person) {
      const { key, links } = inject.person;
      if (persons.has(key)) issue(`person "${key}" is defined twice`, ['injects', i]);
      persons.add(key);
      links.forEach((link, j) => {
        const path = ['injects', i, 'person', 'links', j];
        if ('hitOf' in link) searchBefore(link.hitOf, path);
        if ('record' in link && !records.has(link.record))
          issue(`no record "${link.record}" in the scenario’s records`, path);
        if ('notice' in link && !notices.has(link.notice)) {
          issue(`notice "${link.notice}" is not created by an earlier inject`, path);
        }
      });
    }
    if (inject.message) {
      const { key, to, about, replyTo } = inject.message;
      const path = ['injects', i, 'message'];
      if (messages.has(key)) issue(`message "${key}" is defined twice`, path);
      if (replyTo !== undefined && !messages.has(replyTo))
        issue(`no earlier message "${replyTo}"`, [...path, 'replyTo']);
      if (to === undefined && replyTo === undefined) issue('a message names to unless it replies', [...path, 'to']);
      if (about && 'hitOf' in about) searchBefore(about.hitOf, [...path, 'about']);
      if (about && 'notice' in about && !notices.has(about.notice)) {
        issue(`notice "${about.notice}" is not created by an earlier inject`, [...path, 'about']);
      }
      messages.add(key);
    }
    const uses = inject.event?.notice ?? inject.circulation?.notice;
    if (uses !== undefined && !notices.has(uses))
      issue(`notice "${uses}" is not created by an earlier inject`, ['injects', i]);
    if (inject.create) {
      if (notices.has(inject.create.notice)) {
        issue(`notice "${inject.create.notice}" is created twice`, ['injects', i, 'create', 'notice']);
      }
      notices.add(inject.create.notice);
    }
  }
  const ids = new Set<string>();
  scenario.expectations.forEach((e, i) => {
    if (ids.has(e.id)) issue(`expectation "${e.id}" is defined twice`, ['expectations', i, 'id']);
    ids.add(e.id);
    if (e.notice !== undefined && !notices.has(e.notice)) {
      issue(`no inject creates notice "${e.notice}"`, ['expectations', i, 'notice']);
    }
    if (e.answered && !messages.has(e.answered.message)) {
      issue(`no inject sends message "${e.answered.message}"`, ['expectations', i, 'answered', 'message']);
    }
    if (typeof e.from === 'object' && !notices.has(e.from.notice)) {
      issue(`no inject creates notice "${e.from.notice}"`, ['expectations', i, 'from', 'notice']);
    }
  });
}
