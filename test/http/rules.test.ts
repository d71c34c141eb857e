import { bearer, createExercise, publishedNotice, redRequest, send, yellowRequest, type ExerciseFixture } from '../support/fixtures';
import { describeEachDatabase, type TestApp } from '../support/http';

/** The rules of the domain reference as INTERPOL writes them, through the API. */
type Check = { id: string; passed: boolean; message: string; missing: string[] };
const checkOf = (notice: { checks: Check[] }, id: string) => notice.checks.find((c) => c.id === id)!;

async function submitted(app: TestApp, ex: ExerciseFixture, request: object, requester = 'MC') {
  const token = ex.tokens[`ncb:${requester}`]!;
  const created = await app.http.post(`/api/exercises/${ex.id}/notices`).set(bearer(token)).send(request).expect(201);
  expect(created.body.state).toBe('draft');
  return send(app.http, token, created.body.id, { type: 'SUBMIT' });
}

async function underReview(app: TestApp, ex: ExerciseFixture, request: object) {
  const notice = await submitted(app, ex, request);
  return send(app.http, ex.tokens.gs!, notice.id, { type: 'START_REVIEW' });
}

const clock = (app: TestApp, ex: ExerciseFixture, body: object) =>
  app.http.post(`/api/exercises/${ex.id}/clock`).set(bearer(ex.facilitator)).send(body).expect(200);

describeEachDatabase('the rules as INTERPOL writes them', (ctx) => {
  it('saves a Red request without warrant or judgment data as a draft; SUBMIT fails RED-JUDICIAL-DATA naming the fields', async () => {
    const app = ctx();
    const ex = await createExercise(app.http, ['MC']);
    const { warrant: _warrant, law: _law, ...offence } = redRequest().offence as Record<string, unknown>;
    const notice = await submitted(app, ex, { ...redRequest(), offence });
    const judicial = checkOf(notice, 'RED-JUDICIAL-DATA');
    expect(judicial).toMatchObject({ passed: false });
    expect(judicial.missing).toEqual(['offence.warrant.reference', 'offence.warrant.issuedOn', 'offence.warrant.authority', 'offence.law']);
    expect(checkOf(notice, 'RED-CRIME-CATEGORY')).toMatchObject({ passed: true, missing: [] });

    await send(app.http, ex.tokens.gs!, notice.id, { type: 'START_REVIEW' });
    const refused = await send(app.http, ex.tokens.gs!, notice.id, { type: 'APPROVE', article3Cleared: true }, 409);
    expect(refused.error).toMatchObject({ code: 'CHECKS_FAILED', details: { failingChecks: ['RED-JUDICIAL-DATA'] } });

    // The answer brings the data: the check passes and the notice can be published.
    await send(app.http, ex.tokens.gs!, notice.id, { type: 'REQUEST_INFO', question: 'Which warrant?' });
    const changes = { offence: { law: 'Code pénal, art. 309', warrant: { reference: 'W-1', issuedOn: '2026-10-02', authority: 'Juge' } } };
    const answered = await send(app.http, ex.tokens['ncb:MC']!, notice.id, { type: 'PROVIDE_INFO', answer: 'Attached', changes });
    expect(checkOf(answered, 'RED-JUDICIAL-DATA')).toMatchObject({ passed: true, missing: [] });
    expect((await send(app.http, ex.tokens.gs!, notice.id, { type: 'APPROVE', article3Cleared: true })).state).toBe('published');
  });

  it('saves a Yellow request without a police report as a draft; SUBMIT fails YELLOW-POLICE-REPORT', async () => {
    const app = ctx();
    const ex = await createExercise(app.http, ['MC']);
    const { policeReport: _report, ...disappearance } = yellowRequest().disappearance as Record<string, unknown>;
    const notice = await submitted(app, ex, { ...yellowRequest(), disappearance });
    expect(checkOf(notice, 'YELLOW-POLICE-REPORT')).toMatchObject({
      passed: false,
      missing: ['disappearance.policeReport.reference', 'disappearance.policeReport.date'],
    });
  });

  it('saves a request with no subject at all, and RED-IDENTIFIERS lists every missing identifier', async () => {
    const app = ctx();
    const ex = await createExercise(app.http, ['MC']);
    const { subject: _subject, ...rest } = redRequest();
    const notice = await submitted(app, ex, rest);
    expect(notice.subject).toEqual({});
    expect(checkOf(notice, 'RED-IDENTIFIERS').missing).toEqual(
      expect.arrayContaining(['subject.familyName', 'subject.forename', 'subject.sex', 'subject.dateOfBirth', 'subject.photoRef']),
    );
  });

  it.each([
    ['6 months imposed, less left to serve', { sentenceImposedMonths: 6, sentenceRemainingMonths: 2 }, true],
    ['6 months left to serve, nothing said of what was imposed', { sentenceRemainingMonths: 6 }, true],
    ['5 months imposed and 5 left', { sentenceImposedMonths: 5, sentenceRemainingMonths: 5 }, false],
    ['no length stated', {}, false],
  ])('RED-PENALTY-THRESHOLD for a sentence: %s', async (_name, sentence, passes) => {
    const app = ctx();
    const ex = await createExercise(app.http, ['MC']);
    const { maxPenaltyYears: _max, ...offence } = redRequest().offence as Record<string, unknown>;
    const notice = await submitted(app, ex, { ...redRequest(), offence: { ...offence, basis: 'sentence', ...sentence } });
    const check = checkOf(notice, 'RED-PENALTY-THRESHOLD');
    expect(check.passed).toBe(passes);
    expect(check.missing).toEqual(passes ? [] : ['offence.sentenceImposedMonths', 'offence.sentenceRemainingMonths']);
  });

  it.each(['unpaid_debt', 'administrative_offence'])(
    'RED-CRIME-CATEGORY passes %s linked to serious or organised crime, and says why',
    async (category) => {
      const app = ctx();
      const ex = await createExercise(app.http, ['MC']);
      const offence = { ...(redRequest().offence as object), category };
      const alone = checkOf(await submitted(app, ex, { ...redRequest(), offence }), 'RED-CRIME-CATEGORY');
      expect(alone).toMatchObject({ passed: false, missing: ['offence.category', 'offence.linkedToSeriousOrOrganisedCrime'] });
      const linked = { ...offence, linkedToSeriousOrOrganisedCrime: true };
      const check = checkOf(await submitted(app, ex, { ...redRequest(), offence: linked }), 'RED-CRIME-CATEGORY');
      expect(check.passed).toBe(true);
      expect(check.message).toMatch(/organised crime/);
    },
  );

  it('does not let the link to organised crime pass a category it does not excuse', async () => {
    const app = ctx();
    const ex = await createExercise(app.http, ['MC']);
    const offence = { ...(redRequest().offence as object), category: 'adultery', linkedToSeriousOrOrganisedCrime: true };
    expect(checkOf(await submitted(app, ex, { ...redRequest(), offence }), 'RED-CRIME-CATEGORY').passed).toBe(false);
  });

  it('records REFUSE with its grounds, and the debrief counts refusals by ground', async () => {
    const app = ctx();
    const ex = await createExercise(app.http, ['MC']);
    const political = await underReview(app, ex, redRequest({ article3Concern: true }));
    await send(app.http, ex.tokens.gs!, political.id, {
      type: 'REFUSE',
      reason: 'Predominantly political',
      grounds: ['ARTICLE_3', 'ARTICLE_3', 'OTHER'],
    });
    const minor = await underReview(app, ex, redRequest());
    await send(app.http, ex.tokens.gs!, minor.id, { type: 'REFUSE', reason: 'Below the threshold', grounds: ['PENALTY_THRESHOLD'] });
    const history = await app.http.get(`/api/notices/${political.id}/history`).set(bearer(ex.tokens.gs!)).expect(200);
    expect(history.body.items.at(-1)).toMatchObject({ type: 'REFUSE', to: 'refused', payload: { grounds: ['ARTICLE_3', 'OTHER'] } });
    const report = await app.http.get(`/api/exercises/${ex.id}/report`).set(bearer(ex.facilitator)).expect(200);
    expect(report.body.summary.refusals).toEqual({
      total: 2,
      byGround: { ARTICLE_2: 0, ARTICLE_3: 1, CRIME_CATEGORY: 0, PENALTY_THRESHOLD: 1, INSUFFICIENT_DATA: 0, OTHER: 1 },
      unanswered: 0,
    });
  });

  it('counts a request refused because its request for information went unanswered', async () => {
    const app = ctx();
    // Paused for exact deadlines, and played by teams between advances: teams may act while paused here.
    const ex = await createExercise(app.http, ['MC'], 'Paused play', { freezeWhilePaused: false });
    await clock(app, ex, { action: 'pause' });
    const notice = await underReview(app, ex, redRequest());
    await send(app.http, ex.tokens.gs!, notice.id, { type: 'REQUEST_INFO', question: 'Which court issued the warrant?' });
    await clock(app, ex, { action: 'advance', by: 'P61D' });
    expect((await app.http.get(`/api/notices/${notice.id}`).set(bearer(ex.tokens.gs!)).expect(200)).body.state).toBe('refused');
    const report = await app.http.get(`/api/exercises/${ex.id}/report`).set(bearer(ex.facilitator)).expect(200);
    expect(report.body.summary.refusals).toMatchObject({ total: 1, unanswered: 1 });
    const html = await app.http.get(`/api/exercises/${ex.id}/report?format=html`).set(bearer(ex.facilitator)).expect(200);
    expect(html.text).toContain('Refused: 1 (unanswered request for information 1).');
  });

  it('lets a country locate the subject of a Yellow notice while the renewal question is open', async () => {
    const app = ctx();
    // Paused for exact deadlines, and played by teams between advances: teams may act while paused here.
    const ex = await createExercise(app.http, ['MC', 'FR'], 'Paused play', { freezeWhilePaused: false });
    await clock(app, ex, { action: 'pause' });
    const notice = await publishedNotice(app.http, ex, yellowRequest());
    await clock(app, ex, { action: 'advance', by: 'P4Y7M' });
    const pending = await app.http.get(`/api/notices/${notice.id}`).set(bearer(ex.tokens['ncb:FR']!)).expect(200);
    expect(pending.body.state).toBe('renewal_pending');
    expect(pending.body.allowedEvents).toContain('REPORT_LOCATED');
    await app.http
      .post(`/api/notices/${notice.id}/circulation/FR/events`)
      .set(bearer(ex.tokens['ncb:FR']!))
      .send({ type: 'REPORT_LOCATED', details: 'Found in Lyon' })
      .expect(200);
    const located = await app.http.get(`/api/notices/${notice.id}`).set(bearer(ex.tokens.gs!)).expect(200);
    expect(located.body).toMatchObject({ state: 'located', deadlines: [{ event: 'EXPIRE', at: located.body.expiresAt }] });
  });

  it('keeps a located Yellow notice valid until it expires at its expiry date, and its owner may withdraw it', async () => {
    const app = ctx();
    // Paused for exact deadlines, and played by teams between advances: teams may act while paused here.
    const ex = await createExercise(app.http, ['MC', 'FR'], 'Paused play', { freezeWhilePaused: false });
    await clock(app, ex, { action: 'pause' });
    const first = await publishedNotice(app.http, ex, yellowRequest());
    const second = await publishedNotice(app.http, ex, yellowRequest());
    for (const id of [first.id, second.id]) {
      await send(app.http, ex.tokens['ncb:FR']!, id, { type: 'REPORT_LOCATED', details: 'Found in Nice' });
    }
    expect((await send(app.http, ex.tokens['ncb:MC']!, second.id, { type: 'WITHDRAW', reason: 'Back home' })).state).toBe('withdrawn');
    const run = await clock(app, ex, { action: 'advance', by: 'P5Y' });
    // The expiry, and 30 days after the location the GS's prompt to cancel the notice not withdrawn.
    expect(run.body.deadlinesFired).toBe(2);
    const prompts = await app.http.get(`/api/exercises/${ex.id}/messages?box=inbox`).set(bearer(ex.tokens.gs!)).expect(200);
    expect(prompts.body.items.map((m: { about: { noticeId: string } }) => m.about.noticeId)).toEqual([first.id]);
    const expired = await app.http.get(`/api/notices/${first.id}`).set(bearer(ex.tokens.gs!)).expect(200);
    expect(expired.body).toMatchObject({ state: 'expired', deadlines: [] });
    const history = await app.http.get(`/api/notices/${first.id}/history`).set(bearer(ex.tokens.gs!)).expect(200);
    expect(history.body.items.at(-1)).toMatchObject({ type: 'EXPIRE', from: 'located', at: expired.body.expiresAt });
  });
});
