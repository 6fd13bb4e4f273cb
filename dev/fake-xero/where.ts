// Xero's `where` filter, the part the adapter and people use: comparisons of a field path with a
// string, Guid("..."), number, true/false, null or DateTime(y,m,d), joined by AND / OR (&&, ||)
// and parentheses. Anything else is refused with a 400 naming what was not understood.
import { Refusal } from './refusal.ts';

type Value = string | number | boolean | null | { date: number };
type Node = { op: 'and' | 'or'; left: Node; right: Node } | { op: '==' | '!=' | '>' | '>=' | '<' | '<='; path: string[]; value: Value };

const tokenPattern = /\s*(?:(\(|\))|("(?:[^"\\]|\\.)*")|(Guid\("[^"]*"\))|(DateTime\(\s*\d+\s*,\s*\d+\s*,\s*\d+\s*\))|(==|!=|>=|<=|>|<)|(&&|\|\||\bAND\b|\bOR\b)|(-?\d+(?:\.\d+)?)|([A-Za-z_][\w.]*))/iy;

function badWhere(where: string, why: string): Refusal {
  const message = `The where filter "${where}" could not be used: ${why}`;
  return new Refusal(400, { ErrorNumber: 16, Type: 'QueryParseException', Message: message }, {}, message);
}

function tokenize(where: string): string[] {
  const tokens: string[] = [];
  tokenPattern.lastIndex = 0;
  while (tokenPattern.lastIndex < where.length) {
    if (/^\s*$/.test(where.slice(tokenPattern.lastIndex))) break;
    const start = tokenPattern.lastIndex;
    const match = tokenPattern.exec(where);
    if (!match) throw badWhere(where, `unexpected text at "${where.slice(start, start + 20)}"`);
    tokens.push(match[0].trim());
  }
  return tokens;
}

function literal(token: string, where: string): Value {
  if (token.startsWith('"')) return token.slice(1, -1).replace(/\\(.)/g, '$1');
  const guid = /^Guid\("([^"]*)"\)$/i.exec(token);
  if (guid) return guid[1]!;
  const date = /^DateTime\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)$/i.exec(token);
  if (date) return { date: Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3])) };
  if (/^-?\d/.test(token)) return Number(token);
  if (/^true$/i.test(token)) return true;
  if (/^false$/i.test(token)) return false;
  if (/^null$/i.test(token)) return null;
  throw badWhere(where, `"${token}" is not a value (quote strings with "")`);
}

export function parseWhere(where: string): Node {
  const tokens = tokenize(where);
  let at = 0;
  const peek = () => tokens[at];
  const isJoin = (t: string | undefined) => t !== undefined && /^(&&|\|\||AND|OR)$/i.test(t);
  const expression = (): Node => {
    let left = term();
    while (isJoin(peek())) {
      const join = tokens[at++]!;
      left = { op: join === '&&' || /^AND$/i.test(join) ? 'and' : 'or', left, right: term() };
    }
    return left;
  };
  const term = (): Node => {
    if (peek() === '(') {
      at++;
      const inner = expression();
      if (tokens[at++] !== ')') throw badWhere(where, 'a "(" is not closed');
      return inner;
    }
    const field = tokens[at++];
    const op = tokens[at++];
    const value = tokens[at++];
    if (!field || !/^[A-Za-z_][\w.]*$/.test(field)) throw badWhere(where, `expected a field name, found "${field ?? 'the end'}"`);
    if (!op || !/^(==|!=|>=|<=|>|<)$/.test(op)) throw badWhere(where, `expected ==, !=, >, >=, < or <= after ${field}`);
    if (value === undefined) throw badWhere(where, `no value after ${field} ${op}`);
    return { op: op as '==', path: field.split('.'), value: literal(value, where) };
  };
  const tree = expression();
  if (at !== tokens.length) throw badWhere(where, `unexpected "${tokens[at]}"`);
  return tree;
}

function valueAt(record: unknown, path: string[]): unknown {
  let current = record;
  for (const part of path) {
    if (!current || typeof current !== 'object') return undefined;
    const entry = Object.entries(current).find(([key]) => key.toLowerCase() === part.toLowerCase());
    current = entry?.[1];
  }
  return current;
}

/** /Date(ms+0000)/ or an ISO date, as ms; undefined for anything else. */
function asTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = /^\/Date\((-?\d+)/.exec(value);
  if (ms) return Number(ms[1]);
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

function compare(actual: unknown, op: string, expected: Value): boolean {
  let a: string | number | boolean | null | undefined;
  let b: string | number | boolean | null;
  if (expected !== null && typeof expected === 'object') {
    a = asTime(actual);
    b = expected.date;
  } else if (typeof expected === 'string') {
    // Xero compares text without regard to case.
    a = actual === undefined || actual === null ? undefined : String(actual).toLowerCase();
    b = expected.toLowerCase();
  } else {
    a = actual as typeof a;
    b = expected;
  }
  if (op === '==') return (a ?? null) === b;
  if (op === '!=') return (a ?? null) !== b;
  if (a === undefined || a === null || b === null) return false;
  if (op === '>') return a > b;
  if (op === '>=') return a >= b;
  if (op === '<') return a < b;
  return a <= b;
}

export function matchesWhere(tree: Node, record: unknown): boolean {
  if ('left' in tree) return tree.op === 'and' ? matchesWhere(tree.left, record) && matchesWhere(tree.right, record) : matchesWhere(tree.left, record) || matchesWhere(tree.right, record);
  return compare(valueAt(record, tree.path), tree.op, tree.value);
}
