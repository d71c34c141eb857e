import { initialTransition, transition } from 'xstate';
import { evaluateEvent } from '../../src/kernel/machine-evaluation';
import { NOTICE_ROLE_GUARDS, redNoticeMachine, yellowNoticeMachine, type NoticeEvent } from '../../src/notices/notice-machine';
import type { NoticeRequest } from '../../src/notices/notice-types';
import { GS, OTHER_NCB, OWNER, T0, redRequest, yellowRequest } from './notice-fixtures';

const draft = () => initialTransition(redNoticeMachine, { requestingCountry: 'RS', request: redRequest() })[0];
const update = (request: NoticeRequest = redRequest({ subject: { familyName: 'Petrović' } }), actor = OWNER): NoticeEvent => ({
  type: 'UPDATE_DRAFT',
  actor,
  at: T0,
  request,
});
const guards = { roleGuards: NOTICE_ROLE_GUARDS };

describe('editing a draft (UPDATE_DRAFT)', () => {
  it('replaces the request and stays in draft, running no checks', () => {
    const request = redRequest({ subject: { familyName: 'Petrović' }, extraditionFrom: undefined });
    const [next] = transition(redNoticeMachine, draft(), update(request));
    expect(next.value).toBe('draft');
    expect(next.context.request).toEqual(request);
    expect(next.context.checks).toEqual([]);
  });

  it('lets SUBMIT check the edited request', () => {
    const [edited] = transition(redNoticeMachine, draft(), update());
    const [submitted] = transition(redNoticeMachine, edited, { type: 'SUBMIT', actor: OWNER, at: T0 });
    expect(submitted.context.checks.find((c) => c.id === 'RED-IDENTIFIERS')).toMatchObject({
      passed: false,
      missing: expect.arrayContaining(['subject.forename', 'subject.sex']),
    });
  });

  it('is the owner NCB’s only: another NCB or the GS is forbidden', () => {
    for (const actor of [OTHER_NCB, GS]) {
      expect(evaluateEvent(redNoticeMachine, draft(), update(redRequest(), actor), guards)).toMatchObject({
        ok: false,
        reason: 'forbidden',
      });
    }
  });

  it('refuses a request of the other type, keeping the draft as it was', () => {
    const wrongType = update(yellowRequest());
    expect(evaluateEvent(redNoticeMachine, draft(), wrongType, guards)).toEqual({ ok: false, reason: 'guard_failed' });
  });

  it('is not accepted once the draft is submitted', () => {
    const [submitted] = transition(redNoticeMachine, draft(), { type: 'SUBMIT', actor: OWNER, at: T0 });
    const outcome = evaluateEvent(redNoticeMachine, submitted, update(), guards);
    expect(outcome).toMatchObject({ ok: false, reason: 'invalid_state' });
  });

  it('edits a Yellow draft the same way', () => {
    const yellow = initialTransition(yellowNoticeMachine, { requestingCountry: 'RS', request: yellowRequest() })[0];
    const request = yellowRequest({ adultConsent: true });
    const [next] = transition(yellowNoticeMachine, yellow, update(request));
    expect(next.context.request).toEqual(request);
  });
});
