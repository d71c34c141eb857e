import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { problemText } from '../../src/kernel/validate';
import { parseScenario, scenarioJsonSchema } from '../../src/scenarios/scenario-schema';

const SCENARIOS = path.resolve(__dirname, '../../scenarios');
const monaco = readFileSync(path.join(SCENARIOS, 'monaco-fingerprints.yaml'), 'utf8');

describe('scenario files', () => {
  it.each(readdirSync(SCENARIOS).filter((f) => /\.(ya?ml|json)$/.test(f)))('%s is a valid scenario', (file) => {
    const parsed = parseScenario(readFileSync(path.join(SCENARIOS, file), 'utf8'));
    expect(parsed).toMatchObject({ ok: true });
  });

  it('reads the Monaco scenario with its defaults', () => {
    const parsed = parseScenario(monaco);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    expect(parsed.scenario.participants.map((p) => p.key)).toContain('secretariat');
    expect(parsed.scenario.injects).toHaveLength(9);
    expect(parsed.scenario.expectations[0]).toMatchObject({ from: 'start', score: 10 });
  });

  const broken = (edit: (text: string) => string) => parseScenario(edit(monaco));
  it.each([
    [
      'an unknown participant',
      (t: string) => t.replace('as: france\n    note: Stopped', 'as: spain\n    note: Stopped'),
      'injects.5.as',
    ],
    [
      'a notice used before it is created',
      (t: string) => t.replace('- at: PT0S\n    as: monaco', '- at: PT2H\n    as: monaco'),
      'injects.1',
    ],
    [
      'an expectation on an unknown notice',
      (t: string) => t.replace('notice: petrovic, reaches: published', 'notice: dupont, reaches: published'),
      'expectations.0.notice',
    ],
    ['a bad offset', (t: string) => t.replace('at: P8DT1H', 'at: 8 days'), 'injects.6.at'],
    ['a negative offset', (t: string) => t.replace('at: P8DT1H', 'at: P-1D'), 'injects.6.at'],
    ['an offset beyond a hundred years', (t: string) => t.replace('at: P8DT1H', 'at: P999999Y'), 'injects.6.at'],
    [
      'a window beyond a hundred years',
      (t: string) => t.replace('within: PT6H', 'within: P999999Y'),
      'expectations.1.within',
    ],
    [
      'an inject after the end of simulated time',
      (t: string) => t.replace('start: 2026-03-02T09:00:00Z', 'start: 9999-12-01T00:00:00Z'),
      'injects.8.at',
    ],
    [
      'an ncb without a country',
      (t: string) => t.replace('{ key: italy, role: ncb, country: IT, name: NCB Rome }', '{ key: italy, role: ncb }'),
      'participants.3.country',
    ],
    [
      'a request that fails validation',
      (t: string) => t.replace('maxPenaltyYears: 20', 'maxPenaltyYears: twenty'),
      'injects.0.create.request.offence.maxPenaltyYears',
    ],
    ['an unknown field', (t: string) => t.replace('speed: 60', 'speed: 60\nmusic: loud'), 'music'],
  ])('names %s', (_what, edit, field) => {
    const parsed = broken(edit);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems.map((p) => p.field)).toContain(field);
  });

  it('says when the file is not YAML at all, and where it stops being YAML', () => {
    const parsed = parseScenario('title: [unclosed');
    expect(parsed).toMatchObject({ ok: false, problems: [{ field: '(file)', line: 1, column: 17 }] });
    if (!parsed.ok)
      expect(problemText(parsed.problems[0]!)).toMatch(/^the file \(line 1, column 17\): not YAML or JSON: /);
  });

  const lineOf = (text: string, fragment: string) => text.slice(0, text.indexOf(fragment)).split('\n').length;

  it('names an inject by its number from 1, with the line and column of the bad value', () => {
    const text = monaco.replace('as: france\n    note: Stopped', 'as: spain\n    note: Stopped');
    const parsed = parseScenario(text);
    if (parsed.ok) throw new Error('the scenario should not pass');
    const line = lineOf(text, 'as: spain');
    expect(parsed.problems).toEqual([
      {
        field: 'injects.5.as',
        path: ['injects', 5, 'as'],
        where: 'inject 6, as',
        message: 'no participant "spain"',
        line,
        column: 9,
      },
    ]);
    expect(problemText(parsed.problems[0]!)).toBe(`inject 6, as (line ${line}, column 9): no participant "spain"`);
  });

  it('points at an unknown field’s key, at a whole inject for what it does, and says each problem once', () => {
    const text = monaco
      .replace('speed: 60', 'speed: 60\nmusic: loud')
      .replace('at: P8DT1H', 'at: 8 days')
      .replace('- at: PT0S\n    as: monaco', '- at: PT2H\n    as: monaco');
    const parsed = parseScenario(text);
    if (parsed.ok) throw new Error('the scenario should not pass');
    const inject7 = lineOf(text, 'at: 8 days');
    expect(parsed.problems.map((p) => [p.field, problemText(p)])).toEqual(
      expect.arrayContaining([
        ['music', `music (line ${lineOf(text, 'music')}, column 1): unknown field`],
        [
          'injects.6.at',
          `inject 7, at (line ${inject7}, column 11): must be an ISO 8601 duration such as PT0S, PT2H or P7D`,
        ],
        [
          'injects.1',
          `inject 2 (line ${lineOf(text, '{ at: PT1H')}, column 5): notice "petrovic" is not created by an earlier inject`,
        ],
      ]),
    );
    expect(parsed.problems.filter((p) => p.field === 'injects.6.at')).toHaveLength(1);
  });

  it('says a field left out of the file is missing, at the part that should hold it', () => {
    const text = monaco
      .replace(/^briefing: \|\n( {2}.*\n)+/m, '')
      .replace('{ key: italy, role: ncb, country: IT, name: NCB Rome }', '{ key: italy, country: IT }');
    const parsed = parseScenario(text);
    if (parsed.ok) throw new Error('the scenario should not pass');
    expect(parsed.problems.map(problemText)).toEqual([
      `briefing (line ${lineOf(text, 'title:')}, column 1): missing: this field is required`,
      `participant 4, role (line ${lineOf(text, '{ key: italy')}, column 5): missing: this field is required`,
    ]);
  });

  it('names the parts of a scenario given as data by number, without lines', () => {
    const parsed = parseScenario({
      title: 'Two countries',
      briefing: 'A short one',
      start: '2026-01-01T00:00:00Z',
      participants: [
        { key: 'rome', role: 'ncb', country: 'IT' },
        { key: 'paris', role: 'ncb' },
      ],
      injects: [{ at: 'PT0S', as: 'rome', event: { notice: 'x', event: { type: 'SUBMIT' } } }],
    });
    if (parsed.ok) throw new Error('the scenario should not pass');
    expect(parsed.problems.map(problemText)).toEqual([
      'participant 2, country: an ncb has a country, and only an ncb',
      'inject 1: notice "x" is not created by an earlier inject',
    ]);
    expect(parsed.problems.every((p) => p.line === undefined)).toBe(true);
  });

  it('checks message injects and expected answers against the other parts', () => {
    const base = {
      title: 'Messages',
      briefing: 'France writes',
      start: '2026-01-01T00:00:00Z',
      participants: [{ key: 'paris', role: 'ncb', country: 'FR' }],
    };
    const message = (key: string, extra: object = {}) => ({ key, subject: 'Query', body: 'Text', ...extra });
    const parsed = parseScenario({
      ...base,
      injects: [
        { at: 'PT0S', as: 'paris', message: message('first') },
        {
          at: 'PT1H',
          as: 'paris',
          message: message('first', { to: ['gs'], replyTo: 'later', about: { notice: 'x' } }),
        },
        { at: 'PT2H', as: 'paris', message: message('later', { to: ['gs'] }) },
      ],
      expectations: [
        { id: 'answered', description: 'answered', answered: { message: 'none' }, within: 'P1D', score: 1 },
        {
          id: 'both',
          description: 'both',
          notice: 'x',
          reaches: 'published',
          answered: { message: 'first' },
          within: 'P1D',
          score: 1,
        },
        {
          id: 'from',
          description: 'from',
          answered: { message: 'later' },
          from: { notice: 'x', event: 'SUBMIT' },
          within: 'P1D',
          score: 1,
        },
        { id: 'unnamed', description: 'unnamed', reaches: 'published', within: 'P1D', score: 1 },
      ],
    });
    if (parsed.ok) throw new Error('the scenario should not pass');
    expect(parsed.problems.map(problemText)).toEqual(
      expect.arrayContaining([
        'inject 1, message.to: a message names to unless it replies',
        'inject 2, message: message "first" is defined twice',
        'inject 2, message.replyTo: no earlier message "later"',
        'inject 2, message.about: notice "x" is not created by an earlier inject',
        'expectation 1, answered.message: no inject sends message "none"',
        'expectation 2: an expectation has exactly one of reaches, happens or answered',
        'expectation 3, from: an answer counts from its message: leave from out',
        'expectation 4, notice: reaches and happens are of a notice: name it',
      ]),
    );
  });

  it('publishes a JSON Schema that names the parts of a scenario', () => {
    const document = scenarioJsonSchema() as {
      $ref: string;
      $defs: Record<string, { properties: Record<string, unknown>; required: string[] }>;
    };
    expect(document.$ref).toBe('#/$defs/Scenario');
    const schema = document.$defs.Scenario!;
    expect(Object.keys(schema.properties)).toEqual([
      'title',
      'briefing',
      'start',
      'speed',
      'participants',
      'records',
      'injects',
      'expectations',
    ]);
    expect(schema.required).toEqual(expect.arrayContaining(['title', 'briefing', 'start', 'participants']));
  });
});
