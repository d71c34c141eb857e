import { execFileSync } from 'node:child_process';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { MACHINE_IDS, graphOf, machineById, machineGraph, toDot, toMermaid, toScxml } from '../../src/diagrams/diagram';
import { hasDot } from '../support/tools';

/** The machine's states and transitions, read straight from XState (not from the graph under test). */
function fromXState(id: (typeof MACHINE_IDS)[number]) {
  const root = machineById(id).root;
  const states = Object.keys(root.states).sort();
  const finals = Object.values(root.states).filter((s) => s.type === 'final').map((s) => s.key).sort();
  const transitions = Object.values(root.states)
    .flatMap((s) => [...s.transitions].flatMap(([event, ts]) => ts.map((t) => `${s.key} -${event}-> ${t.target![0]!.key}`)))
    .sort();
  return { states, finals, transitions };
}

describe.each(MACHINE_IDS)('the %s machine drawn from its definition', (id) => {
  const machine = fromXState(id);
  const graph = machineGraph(id);

  it('has every state and transition of the machine, and the role on each edge', () => {
    expect(graph.states.map((s) => s.id).sort()).toEqual(machine.states);
    expect(graph.transitions.map((t) => `${t.source} -${t.event}-> ${t.target}`).sort()).toEqual(machine.transitions);
    for (const t of graph.transitions) expect(t.roles.length).toBeGreaterThan(0);
  });

  it('writes SCXML 1.0 that is well-formed and names the same states, final states and transitions', () => {
    const text = toScxml(graph);
    expect(XMLValidator.validate(text)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['state', 'final', 'transition'].includes(name) }).parse(text);
    const scxml = doc.scxml;
    expect(scxml).toMatchObject({ xmlns: 'http://www.w3.org/2005/07/scxml', version: '1.0', initial: graph.initial });
    const states = [...(scxml.state ?? []), ...(scxml.final ?? [])];
    expect(states.map((s: { id: string }) => s.id).sort()).toEqual(machine.states);
    expect((scxml.final ?? []).map((s: { id: string }) => s.id).sort()).toEqual(machine.finals);
    const transitions = states.flatMap((s: { id: string; transition?: { event: string; target: string }[] }) =>
      (s.transition ?? []).map((t) => `${s.id} -${t.event}-> ${t.target}`),
    );
    expect(transitions.sort()).toEqual(machine.transitions);
  });

  it('writes Mermaid with one line per transition and the final states marked', () => {
    const text = toMermaid(graph, { current: graph.initial });
    expect(text.startsWith('stateDiagram-v2\n')).toBe(true);
    const edges = [...text.matchAll(/^ {2}(\w+) --> (\w+) : (\w+)/gm)].map((m) => `${m[1]} -${m[3]}-> ${m[2]}`);
    expect(edges.sort()).toEqual(machine.transitions);
    const ends = [...text.matchAll(/^ {2}(\w+) --> \[\*\]$/gm)].map((m) => m[1]);
    expect(ends.sort()).toEqual(machine.finals);
    expect(text).toContain(`class ${graph.initial} current`);
  });

  const withDot = hasDot() ? it : it.skip;
  withDot('writes DOT that Graphviz renders, with exactly the machine’s states and transitions', () => {
    const dot = toDot(graph, { current: graph.initial, transitionCounts: { [`${graph.transitions[0]!.source}|${graph.transitions[0]!.event}|${graph.transitions[0]!.target}`]: 2 } });
    const svg = execFileSync('dot', ['-Tsvg'], { input: dot }).toString();
    expect(svg).toContain('<svg');
    const layout = JSON.parse(execFileSync('dot', ['-Tjson'], { input: dot }).toString()) as {
      objects: { _gvid: number; name: string }[];
      edges: { tail: number; head: number; label: string }[];
    };
    const names = new Map(layout.objects.map((o) => [o._gvid, o.name]));
    expect(layout.objects.map((o) => o.name).filter((n) => n !== '__initial').sort()).toEqual(machine.states);
    const edges = layout.edges
      .filter((e) => names.get(e.tail) !== '__initial')
      .map((e) => `${names.get(e.tail)} -${e.label.split('\\n')[0]}-> ${names.get(e.head)}`);
    expect(edges.sort()).toEqual(machine.transitions);
  });
});

describe('guards on the edges', () => {
  it('draws or, not and inline guards for what they are, never as a plain conjunction', async () => {
    const { setup, or, not, and } = await import('xstate');
    const machine = setup({
      guards: { a: () => true, b: () => true, actorIs: (_: unknown, _params: { role: string }) => true },
    }).createMachine({
      id: 'sample',
      initial: 'one',
      states: {
        one: {
          on: {
            EITHER: { target: 'two', guard: or(['a', 'b']) },
            NEITHER: { target: 'two', guard: and([{ type: 'actorIs', params: { role: 'gs' } }, not('a')]) },
            INLINE: { target: 'two', guard: () => true },
          },
        },
        two: { type: 'final' },
      },
    });
    const graph = graphOf(machine, 'Sample');
    const edge = (event: string) => graph.transitions.find((t) => t.event === event)!;
    expect(edge('EITHER').guards).toEqual([{ type: '(a) or (b)', expression: '(a()) || (b())' }]);
    expect(edge('NEITHER')).toMatchObject({ guards: [{ type: 'actorIs', params: { role: 'gs' } }, { type: 'not(a)', expression: '!(a())' }], roles: ['gs'] });
    expect(edge('INLINE').guards).toEqual([{ type: expect.any(String) }]);
    const scxml = toScxml(graph);
    expect(XMLValidator.validate(scxml)).toBe(true);
    expect(scxml).toContain(`cond="((a()) || (b()))"`);
    expect(scxml).toContain(`cond="actorIs('gs') &amp;&amp; (!(a()))"`);
    expect(toMermaid(graph)).toContain('one --> two : NEITHER · by gs · if not(a)');
  });
});
