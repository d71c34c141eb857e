import pino from 'pino';
import request from 'supertest';
import { buildServices, type Services } from '../../src/server';
import { createEventFeed } from '../../src/stream/event-feed';
import { databaseKinds, openTestDatabase } from '../support/databases';
import { bearer, createExercise, publishedNotice, redRequest, type ExerciseFixture } from '../support/fixtures';

type Agent = ReturnType<typeof request>;

/**
 * I-24/7 messages after Monaco's Red notice: France writes to Monaco and the GS about its record,
 * Monaco answers in the thread and reads; Germany, neither sender nor recipient, sees none of it.
 */
describe.each(databaseKinds())('messages [%s]', (kind) => {
  let services: Services;
  let http: Agent;
  let ex: ExerciseFixture;
  let noticeId: string;
  const as = (key: string) => bearer(key === 'facilitator' ? ex.facilitator : ex.tokens[key]!);
  const url = (path = '') => `/api/exercises/${ex.id}/messages${path}`;
  const sendAs = (sender: string, body: object, status = 201) =>
    http.post(url()).set(as(sender)).send(body).expect(status);
  const listAs = async (reader: string, query = '') =>
    (await http.get(url(query)).set(as(reader)).expect(200)).body.items as { id: string; subject: string }[];

  beforeAll(async () => {
    services = buildServices(await openTestDatabase(kind), pino({ level: 'silent' }), { authFailureLimit: 1_000_000 });
    http = request(services.app);
    ex = await createExercise(http, ['MC', 'FR', 'DE']);
    noticeId = (await publishedNotice(http, ex, redRequest())).id;
  });
  afterAll(() => services?.db.close());

  it('delivers a thread to its sender and recipients only, with read receipts, and tells it on the stream', async () => {
    const first = await sendAs('ncb:FR', {
      to: ['MC', 'gs'],
      about: { noticeId, country: 'FR' },
      priority: 'urgent',
      subject: 'Possible sighting, Nice',
      body: 'A man matching the notice was seen boarding at Nice airport. Please confirm the warrant is valid.',
    });
    expect(first.body).toMatchObject({
      from: 'FR',
      sender: { role: 'ncb', country: 'FR' },
      to: ['MC', 'gs'],
      priority: 'urgent',
      about: { noticeId, country: 'FR' },
      reads: [],
    });
    expect(first.body.threadId).toBe(first.body.id);

    // Monaco answers: to the sender, in the thread, about the same record, routine by default.
    const reply = await sendAs('ncb:MC', {
      replyTo: first.body.id,
      subject: 'Re: Possible sighting, Nice',
      body: 'The warrant stands. Extradition will be sought.',
    });
    expect(reply.body).toMatchObject({
      threadId: first.body.id,
      replyTo: first.body.id,
      from: 'MC',
      to: ['FR'],
      priority: 'routine',
      about: { noticeId, country: 'FR' },
    });

    // Read receipts: Monaco's first read counts; reading again changes nothing; the sender cannot mark it.
    const read = await http.post(`/api/messages/${first.body.id}/read`).set(as('ncb:MC')).expect(200);
    expect(read.body.reads).toEqual([{ by: 'MC', at: expect.any(String) }]);
    const again = await http.post(`/api/messages/${first.body.id}/read`).set(as('ncb:MC')).expect(200);
    expect(again.body.reads).toEqual(read.body.reads);
    await http.post(`/api/messages/${first.body.id}/read`).set(as('ncb:FR')).expect(403);

    // Who sees what: the sender and recipients, the facilitator and observers; Germany nothing.
    const thread = `?threadId=${first.body.id}`;
    expect((await listAs('ncb:FR', thread)).map((m) => m.id)).toEqual([first.body.id, reply.body.id]);
    expect((await listAs('gs', thread)).map((m) => m.id)).toEqual([first.body.id]);
    expect((await listAs('observer', thread)).map((m) => m.id)).toEqual([first.body.id, reply.body.id]);
    expect(await listAs('ncb:DE')).toEqual([]);
    await http.get(`/api/messages/${first.body.id}`).set(as('ncb:DE')).expect(404);
    await http.post(`/api/messages/${first.body.id}/read`).set(as('ncb:DE')).expect(404);
    expect((await listAs('ncb:MC', '?box=inbox')).map((m) => m.id)).toEqual([first.body.id]);
    expect((await listAs('ncb:MC', '?box=sent')).map((m) => m.id)).toEqual([reply.body.id]);
    expect((await listAs('ncb:FR', '?unread=true')).map((m) => m.id)).toEqual([reply.body.id]);
    expect((await listAs('gs', '?unread=true')).map((m) => m.id)).toEqual([first.body.id]);
    expect((await listAs('ncb:MC', `?noticeId=${noticeId}`)).length).toBe(2);

    // The stream tells the sending, the reply and the read to those who see them, and Germany none.
    const feed = createEventFeed(services.db.prisma);
    const told = async (reader: Parameters<typeof feed.after>[2]) =>
      (await feed.after(ex.id, 0, reader, 10_000))
        .map((e) => e.data)
        .filter((d) => 'subject' in d && d.subject === 'message')
        .map((d) => ('type' in d ? `${d.type} ${'by' in d && d.by ? d.by : ''}`.trim() : ''));
    expect(await told({ role: 'ncb', country: 'FR' })).toEqual(['SENT', 'SENT', 'READ MC']);
    expect(await told({ role: 'gs' })).toEqual(['SENT', 'READ MC']);
    expect(await told({ role: 'ncb', country: 'DE' })).toEqual([]);
  });

  it('refuses bad input with the field named, and writes nothing', async () => {
    const before = (await listAs('facilitator')).length;
    const base = { to: ['MC'], subject: 'Query', body: 'Text' };
    const field = async (body: object, expected: string) => {
      const res = await sendAs('ncb:FR', body, 400);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(expected);
    };
    await field({ ...base, to: ['XX'] }, 'body.to.0');
    await field({ ...base, to: ['MC', 'MC'] }, 'body.to');
    await field({ ...base, to: ['FR'] }, 'body.to');
    await field({ subject: 'Query', body: 'Text' }, 'body.to');
    await field({ ...base, priority: 'flash' }, 'body.priority');
    await field({ ...base, subject: '   ' }, 'body.subject');
    await field({ ...base, about: { noticeId, hitId: noticeId } }, 'body.about');
    await field({ ...base, about: { country: 'FR' } }, 'body.about.country');
    await field({ ...base, replyTo: 'not-an-id' }, 'body.replyTo');
    // What the sender may not see is not found; the facilitator and observers read, they do not send.
    await sendAs('ncb:FR', { ...base, about: { noticeId, country: 'DE' } }, 404);
    await sendAs('ncb:FR', { ...base, about: { noticeId: '00000000-0000-4000-8000-000000000000' } }, 404);
    await sendAs('ncb:FR', { ...base, replyTo: '00000000-0000-4000-8000-000000000000' }, 404);
    await sendAs('observer', base, 403);
    expect((await listAs('facilitator')).length).toBe(before);
  });

  it('answers a team’s send EXERCISE_PAUSED while the facilitator has paused the clock', async () => {
    const clock = (action: string) =>
      http.post(`/api/exercises/${ex.id}/clock`).set(as('facilitator')).send({ action }).expect(200);
    await clock('pause');
    const refused = await sendAs('ncb:FR', { to: ['MC'], subject: 'Query', body: 'Text' }, 409);
    expect(refused.body.error.code).toBe('EXERCISE_PAUSED');
    await clock('resume');
    await sendAs('ncb:FR', { to: ['MC'], subject: 'Query', body: 'Text' });
  });
});

/** A scenario's message injects: Monaco warns France and the GS; France answers two hours later in the thread. */
describe.each(databaseKinds())('message injects and the debrief [%s]', (kind) => {
  let services: Services;
  let http: Agent;
  beforeAll(async () => {
    services = buildServices(await openTestDatabase(kind), pino({ level: 'silent' }), { authFailureLimit: 1_000_000 });
    http = request(services.app);
  });
  afterAll(() => services?.db.close());

  it('sends scripted messages at their time, threads the reply, and times each team’s first answer', async () => {
    const scenario = {
      title: 'Messages',
      briefing: 'Monaco warns France; France answers.',
      start: '2026-03-02T09:00:00Z',
      participants: [
        { key: 'monaco', role: 'ncb', country: 'MC' },
        { key: 'france', role: 'ncb', country: 'FR' },
        { key: 'secretariat', role: 'gs' },
      ],
      injects: [
        { at: 'PT0S', as: 'monaco', create: { notice: 'petrovic', request: redRequest() } },
        {
          at: 'PT1H',
          as: 'monaco',
          message: {
            key: 'warning',
            to: ['FR', 'gs'],
            about: { notice: 'petrovic' },
            priority: 'urgent',
            subject: 'PETROVIĆ may travel to Nice',
            body: 'Our source says he will cross into France this week.',
          },
        },
        {
          at: 'PT3H',
          as: 'france',
          message: { key: 'answer', replyTo: 'warning', subject: 'Re: PETROVIĆ', body: 'Border posts alerted.' },
        },
        // About a draft France cannot see: the inject fails, and its answer will never come.
        {
          at: 'PT30M',
          as: 'france',
          message: { key: 'early', to: ['MC'], about: { notice: 'petrovic' }, subject: 'Draft?', body: 'Is it out?' },
        },
      ],
      expectations: [
        {
          id: 'answered',
          description: 'France answers',
          answered: { message: 'warning', by: 'FR' },
          within: 'PT3H',
          score: 5,
        },
        {
          id: 'gs',
          description: 'The GS answers',
          answered: { message: 'warning', by: 'gs' },
          within: 'PT1H',
          score: 5,
        },
        { id: 'never', description: 'Monaco answers', answered: { message: 'early' }, within: 'P1D', score: 5 },
      ],
    };
    const created = await http.post('/api/exercises').send({ scenario }).expect(201);
    const facilitator = bearer(created.body.facilitatorToken);
    await http
      .post(`/api/exercises/${created.body.id}/clock`)
      .set(facilitator)
      .send({ action: 'advance', by: 'PT4H' })
      .expect(200);

    const items = (await http.get(`/api/exercises/${created.body.id}/messages`).set(facilitator).expect(200)).body
      .items;
    expect(items.map((m: { from: string; to: string[]; at: string }) => [m.from, m.to, m.at])).toEqual([
      ['MC', ['FR', 'gs'], '2026-03-02T10:00:00.000Z'],
      ['FR', ['MC'], '2026-03-02T12:00:00.000Z'],
    ]);
    expect(items[1]).toMatchObject({ threadId: items[0].id, replyTo: items[0].id, about: items[0].about });

    const report = (await http.get(`/api/exercises/${created.body.id}/report`).set(facilitator).expect(200)).body;
    expect(report.messages).toMatchObject({ messages: 2, threads: 1, fromSystem: 0 });
    const team = (address: string) => report.messages.byAddress.find((a: { address: string }) => a.address === address);
    expect(team('FR')).toMatchObject({
      sent: 1,
      received: 1,
      answered: 1,
      firstAnswerSeconds: { median: 7200, max: 7200 },
    });
    expect(team('gs')).toMatchObject({ sent: 0, received: 1, answered: 0, unanswered: 1 });
    expect(team('MC')).toMatchObject({ sent: 1, received: 1, answered: 0, unanswered: 1 });
    expect(
      Object.fromEntries(report.expectations.map((e: { id: string; outcome: string }) => [e.id, e.outcome])),
    ).toEqual({
      answered: 'met',
      gs: 'missed',
      never: 'missed',
    });
    const html = await http.get(`/api/exercises/${created.body.id}/report?format=html`).set(facilitator).expect(200);
    expect(html.text).toContain('Median time to first answer');
  });
});
