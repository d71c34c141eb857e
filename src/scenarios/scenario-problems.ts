/**
 * A scenario's problems as a trainer reads them: the part by its number counted from 1 ("inject 6",
 * "participant 4"), and the line and column in the file where a text was given. The dotted path
 * (`injects.5.at`) stays alongside, for machines.
 */
import type { Document, LineCounter, Node } from 'yaml';
import type { z } from 'zod';
import type { Problem } from '../kernel/validate';

/** yaml loads with the first scenario read from text, not at every start (about 0.02 s of one). */
const yaml = (): typeof import('yaml') => require('yaml');

/**
 * `field`: the dotted path in the scenario (`injects.5.at`), or `(file)` when the text cannot be read;
 * `where`: the part in words (`inject 6, at`); `line` and `column` (from 1) where it was given as text;
 * `message`: what is wrong. `problemText` (kernel) makes it a sentence.
 */
export interface ScenarioProblem extends Problem {
  where: string;
  /** The path, for machines. */
  path: (string | number)[];
}

/** The scenario file's text as a YAML document, with line positions; JSON reads as YAML too. */
export interface ScenarioText {
  data: unknown;
  document: Document.Parsed;
  lines: LineCounter;
}

/** Reads a scenario file's text, or says where it stops being YAML. */
export function readScenarioDocument(
  text: string,
): { ok: true; read: ScenarioText } | { ok: false; problem: ScenarioProblem } {
  const { LineCounter, parseDocument } = yaml();
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const error = document.errors[0];
  if (error) {
    const { line, col } = lines.linePos(error.pos[0]);
    const message = `not YAML or JSON: ${error.message}`;
    return { ok: false, problem: { field: '(file)', path: [], where: 'the file', message, line, column: col } };
  }
  try {
    return { ok: true, read: { data: document.toJS({ maxAliasCount: 100 }) as unknown, document, lines } };
  } catch (thrown) {
    // Too many aliases (a "billion laughs" file) or a similar refusal while building the data.
    const why = thrown instanceof Error ? thrown.message.split('\n')[0] : String(thrown);
    return {
      ok: false,
      problem: { field: '(file)', path: [], where: 'the file', message: `not YAML or JSON: ${why}` },
    };
  }
}

const PARTS: Record<string, string> = { injects: 'inject', participants: 'participant', expectations: 'expectation' };

/** Where a path points, in words: `inject 6, create.request.type`, `participant 4`, `start`, `the scenario`. */
export function partName(path: readonly (string | number)[]): string {
  const [first, index, ...rest] = path;
  if (typeof first === 'string' && PARTS[first] && typeof index === 'number') {
    return [`${PARTS[first]} ${index + 1}`, rest.join('.')].filter(Boolean).join(', ');
  }
  return path.length ? path.join('.') : 'the scenario';
}

/**
 * Where the node at `path` starts in the text: its value, or for an unknown key the key itself; a
 * path that is not in the file (a missing field) points at the nearest part that is.
 */
function positionOf(
  read: ScenarioText,
  path: (string | number)[],
  key?: string,
): { line: number; col: number; found: boolean } | null {
  const { isMap, isPair, isScalar } = yaml();
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth ? (read.document.getIn(path.slice(0, depth), true) as Node | undefined) : read.document.contents;
    if (!node?.range) continue;
    const found = depth === path.length;
    if (found && key !== undefined && isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
      const keyRange = pair && isScalar(pair.key) ? pair.key.range : undefined;
      if (keyRange) return { ...read.lines.linePos(keyRange[0]), found };
    }
    return { ...read.lines.linePos(node.range[0]), found };
  }
  return null;
}

/** Zod's words, or plainer ones where the file tells more: a field absent from the text is missing. */
function wordsFor(issue: z.core.$ZodIssue, position: { found: boolean } | null): string {
  if (issue.code === 'unrecognized_keys') return 'unknown field';
  const absent = position !== null && !position.found;
  const missing = absent && (issue.code === 'invalid_type' || issue.code === 'invalid_value');
  return missing ? 'missing: this field is required' : issue.message;
}

/** Zod's issues on a scenario as problems, placed in the text when there is one. */
export function scenarioProblems(error: z.ZodError, read?: ScenarioText): ScenarioProblem[] {
  const problems = error.issues.flatMap((issue) => {
    const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
    // One problem per unknown key, each at its key.
    const keys: (string | undefined)[] = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    return keys.map((key) => {
      const full = key === undefined ? path : [...path, key];
      const field = full.length ? full.join('.') : '(scenario)';
      const position = read && positionOf(read, path, key);
      return {
        field,
        path: full,
        where: partName(full),
        message: wordsFor(issue, position ?? null),
        ...(position && { line: position.line, column: position.col }),
      };
    });
  });
  // Two rules of one field can fail with the same words (a malformed duration fails its pattern and its parse).
  return problems.filter((p, i) => problems.findIndex((q) => q.field === p.field && q.message === p.message) === i);
}
