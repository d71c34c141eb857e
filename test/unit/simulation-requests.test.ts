import { runChecks, failingBlockingChecks } from '../../src/notices/compliance-checks';
import { applyRequestChanges } from '../../src/notices/request-changes';
import { completeAnswer, requestFor, type RequestFlaws } from '../../src/simulation/requests';
import { addWorkingTime, nextWorkingTime } from '../../src/simulation/working-time';

const NONE: RequestFlaws = {
  identifiers: false,
  judicial: false,
  crimeCategory: false,
  penalty: false,
  article3Concern: false,
  policeReport: false,
  adultConsent: false,
};

describe('the simulation’s working calendar', () => {
  const calendar = { days: new Set([1, 2, 3, 4, 5]), startHour: 8, endHour: 16 };

  it('starts work at the next working hour', () => {
    const saturday = Date.UTC(2024, 0, 6, 10);
    expect(new Date(nextWorkingTime(saturday, calendar)).toISOString()).toBe('2024-01-08T08:00:00.000Z');
    const tuesday = Date.UTC(2024, 0, 9, 11);
    expect(nextWorkingTime(tuesday, calendar)).toBe(tuesday);
  });

  it('counts working time on working days and hours only', () => {
    const friday15 = Date.UTC(2024, 0, 5, 15);
    expect(new Date(addWorkingTime(friday15, 3 * 3_600_000, calendar)).toISOString()).toBe('2024-01-08T10:00:00.000Z');
  });
});

describe('the simulation’s requests', () => {
  const cases: [keyof RequestFlaws, 'RED' | 'YELLOW', string][] = [
    ['identifiers', 'RED', 'RED-IDENTIFIERS'],
    ['judicial', 'RED', 'RED-JUDICIAL-DATA'],
    ['crimeCategory', 'RED', 'RED-CRIME-CATEGORY'],
    ['penalty', 'RED', 'RED-PENALTY-THRESHOLD'],
    ['article3Concern', 'RED', 'RED-ARTICLE-3'],
    ['identifiers', 'YELLOW', 'YELLOW-IDENTIFIERS'],
    ['policeReport', 'YELLOW', 'YELLOW-POLICE-REPORT'],
    ['adultConsent', 'YELLOW', 'YELLOW-ADULT-CONSENT'],
  ];

  it('passes every check when it has no gap', () => {
    expect(failingBlockingChecks(runChecks(requestFor('RED', NONE)))).toEqual([]);
    expect(failingBlockingChecks(runChecks(requestFor('RED', NONE), { article3Cleared: true }))).toEqual([]);
    expect(failingBlockingChecks(runChecks(requestFor('YELLOW', NONE)))).toEqual([]);
  });

  it.each(cases)('with a %s gap (%s), fails %s alone', (flaw, type, check) => {
    const failing = failingBlockingChecks(runChecks(requestFor(type, { ...NONE, [flaw]: true })));
    expect(failing).toEqual([check]);
  });

  it('is completed by the answer to a request for information', () => {
    const red = requestFor('RED', { ...NONE, identifiers: true, judicial: true });
    expect(
      failingBlockingChecks(runChecks(applyRequestChanges(red, completeAnswer('RED')), { article3Cleared: true })),
    ).toEqual([]);
    const yellow = requestFor('YELLOW', { ...NONE, identifiers: true, policeReport: true, adultConsent: true });
    expect(failingBlockingChecks(runChecks(applyRequestChanges(yellow, completeAnswer('YELLOW'))))).toEqual([]);
  });
});
