import { CIRCULATION_EVENT_TYPES, CIRCULATION_STATES } from '../../src/circulation/circulation-machine';
import { ROLES } from '../../src/exercises/exercise-types';
import { LABELS, eventLabel, fieldLabel, labelOf } from '../../src/kernel/labels';
import { NoticeEventBody, RedRequestSchema, YellowRequestSchema } from '../../src/notices/notice-request-schemas';
import {
  CHECK_IDS,
  NOTICE_DEADLINE_EVENTS,
  NOTICE_EVENT_TYPES,
  NOTICE_STATES,
  NOTICE_TYPES,
  OFFENCE_CATEGORIES,
  REFUSAL_GROUNDS,
  SEXES,
} from '../../src/notices/notice-types';
import { collectPaths } from '../support/schema-paths';

const missing = (codes: readonly string[], words: Record<string, unknown>) => codes.filter((c) => !(c in words));

describe('the label catalogue', () => {
  it('has words for every state, event, check, ground, category and role the machines and schemas name', () => {
    expect(missing(NOTICE_STATES, LABELS.noticeStates)).toEqual([]);
    expect(missing(CIRCULATION_STATES, LABELS.circulationStates)).toEqual([]);
    expect(missing([...NOTICE_EVENT_TYPES, ...CIRCULATION_EVENT_TYPES], LABELS.events)).toEqual([]);
    expect(missing(CHECK_IDS, LABELS.checks)).toEqual([]);
    expect(missing(NOTICE_DEADLINE_EVENTS, LABELS.deadlines)).toEqual([]);
    expect(missing(REFUSAL_GROUNDS, LABELS.refusalGrounds)).toEqual([]);
    expect(missing(OFFENCE_CATEGORIES, LABELS.offenceCategories)).toEqual([]);
    expect(missing(SEXES, LABELS.sexes)).toEqual([]);
    expect(missing(NOTICE_TYPES, LABELS.noticeTypes)).toEqual([]);
    expect(missing([...ROLES], LABELS.roles)).toEqual([]);
  });

  it('names every field of a request and of an event body', () => {
    const paths = [
      ...collectPaths(RedRequestSchema),
      ...collectPaths(YellowRequestSchema),
      ...collectPaths(NoticeEventBody),
    ];
    expect(paths).toEqual(expect.arrayContaining(['offence.warrant.reference', 'changes.subject.sex', 'grounds']));
    expect(paths.filter((path) => fieldLabel(path) === path)).toEqual([]);
  });

  it('has no label that merely repeats its code', () => {
    const repeats = Object.values(LABELS).flatMap((words) =>
      Object.entries(words).filter(([code, word]) => (typeof word === 'string' ? word : word.done) === code),
    );
    expect(repeats).toEqual([]);
  });

  it('falls back to the code for what it does not know, and reads array indexes as their field', () => {
    expect(labelOf('noticeStates', 'published')).toBe('Published');
    expect(labelOf('noticeStates', 'no_such_state')).toBe('no_such_state');
    expect(eventLabel('APPROVE', 'action')).toBe('Approve and publish');
    expect(eventLabel('APPROVE')).toBe('Approved and published');
    expect(fieldLabel(['subject', 'nationalities', 0])).toBe('Nationalities');
    expect(fieldLabel('offence.warrant.reference')).toBe('Warrant or judgment reference');
    expect(fieldLabel('changes.subject.sex')).toBe('Sex');
  });
});
