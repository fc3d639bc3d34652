import { Yaml } from 'cdk8s';
import { prune } from '../model/prune';

/** Renders one YAML document, with an optional comment header (one `# ` line per entry). */
export function renderYaml(doc: object, header: readonly string[] = []): string {
  const comment = header.map((line) => (line ? `# ${line}` : '#')).join('\n');
  return (comment ? `${comment}\n` : '') + stringifyYaml(prune(doc));
}

/** Renders Kubernetes objects as one multi-document YAML file, as cdk8s writes a chart's manifest. */
export function renderManifests(docs: readonly object[]): string {
  return stringifyYaml(...docs);
}

/**
 * `Yaml.stringify(...docs)` of cdk8s, byte for byte, for the JSON data the library renders:
 * that function builds a full `yaml` document tree and tests every string against the YAML 1.1
 * resolvers, which is most of a synth's time. A document holding anything else (a non-plain
 * object, an object met twice, which `yaml` would write as an alias, a string that only a quoted
 * multi-line form can hold, ...) is left to `Yaml.stringify`. test/render/yaml-emitter.test.ts
 * compares the two on every example output and on generated documents.
 */
export function stringifyYaml(...docs: unknown[]): string {
  return docs.map((doc) => (doc === undefined ? '\n' : emittedYaml(doc) ?? Yaml.stringify(doc))).join('---\n');
}

/** One document as `Yaml.stringify` writes it, or undefined where the emitter leaves it to that function. */
export function emittedYaml(doc: unknown): string | undefined {
  try {
    return `${documentYaml(doc)}\n`;
  } catch (e) {
    if (e === LEFT_TO_YAML) return undefined;
    throw e;
  }
}

/** Thrown (never out of this module) where the emitter leaves a document to `Yaml.stringify`. */
const LEFT_TO_YAML: unknown = Object.freeze({ leftToYaml: true });

function documentYaml(doc: unknown): string {
  // Top-level scalars follow other rules (document markers, block indentation); nothing renders one.
  if (!isMapping(doc) && !isSequence(doc)) throw LEFT_TO_YAML;
  return collectionYaml(doc, '', new Set());
}

function isMapping(v: unknown): v is { [key: string]: unknown } {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return (proto === Object.prototype || proto === null) && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
}

function isSequence(v: unknown): v is unknown[] {
  return Array.isArray(v) && Object.getPrototypeOf(v) === Array.prototype;
}

/**
 * A non-empty mapping or sequence in block style, or `{}` / `[]`. `indent` is where its second and
 * later lines start; its first line starts wherever the caller put it (after `key:` and a line
 * break, or after `- `). `seen` holds the collections on the way here and before.
 */
function collectionYaml(v: unknown, indent: string, seen: Set<object>): string {
  if (seen.has(v as object)) throw LEFT_TO_YAML; // `yaml` would write an anchor and an alias
  seen.add(v as object);
  const inner = `${indent}  `;
  const lines: string[] = [];
  if (isSequence(v)) {
    if (v.length === 0) return '[]';
    // for...of, not forEach: holes are items too (undefined, written as null).
    for (const item of v) lines.push(`- ${isMapping(item) || isSequence(item) ? collectionYaml(item, inner, seen) : scalarYaml(item, inner)}`);
  } else if (isMapping(v)) {
    const keys = Object.keys(v);
    if (keys.length === 0) return '{}';
    for (const key of keys) {
      const value = v[key];
      const k = keyYaml(key, indent === '');
      lines.push(isMapping(value) || isSequence(value)
        ? `${k}:${collectionIsEmpty(value) ? ' ' : `\n${inner}`}${collectionYaml(value, inner, seen)}`
        : `${k}: ${scalarYaml(value, inner)}`);
    }
  } else {
    throw LEFT_TO_YAML;
  }
  return lines.join(`\n${indent}`);
}

function collectionIsEmpty(v: object): boolean {
  return Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0;
}

/** A value that is not a collection. `indent` is where a block scalar's lines start. */
function scalarYaml(v: unknown, indent: string): string {
  switch (typeof v) {
    case 'string':
      return stringYaml(v, indent);
    case 'number':
      if (Number.isNaN(v)) return '.nan';
      if (!Number.isFinite(v)) return v > 0 ? '.inf' : '-.inf';
      return Object.is(v, -0) ? '-0' : JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'undefined':
      return 'null'; // cdk8s keeps undefined values (keepUndefined)
    case 'object':
      if (v === null) return 'null';
      throw LEFT_TO_YAML; // a class instance, a Date, a Map, ...
    default:
      throw LEFT_TO_YAML; // bigint, symbol, function
  }
}

// C0 and C1 controls but tab and line feed, DEL, lone surrogates: `yaml` writes them as escapes in double quotes.
const ESCAPED = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{d800}-\u{dfff}]/u;

/**
 * What keeps a one-line string from being a plain scalar: a first character that is an indicator or
 * a blank, a lone `-` or `?` (or one followed by a blank), `: `, ` #`, a blank or `:` at the end.
 */
const NOT_PLAIN = /^[\t ,[\]{}#&*!|>'"%@`]|^[-?]$|^[-?][\t ]|:[\t ]|[\t ]#|[\t :]$/;

/**
 * Plain strings that a YAML 1.1 reader takes for another type, as cdk8s's `yaml` resolves them:
 * null (also the empty string), booleans, integers (binary, decimal and octal, hex, base 60),
 * floats (with `.`, with an exponent, base 60, infinities and NaN), timestamps.
 */
const READS_AS_OTHER_TYPE = new RegExp(`^(?:${[
  '(?:~|null|Null|NULL)?',
  'y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON|n|N|no|No|NO|false|False|FALSE|off|Off|OFF',
  '[-+]?0b[01_]+',
  '[-+]?[0-9][0-9_]*',
  '[-+]?0x[0-9a-fA-F_]+',
  '[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?',
  '[-+]?\\.(?:inf|Inf|INF)|\\.nan|\\.NaN|\\.NAN',
  '[-+]?(?:[0-9][0-9_]*)?(?:\\.[0-9_]*)?[eE][-+]?[0-9]+',
  '[-+]?(?:[0-9][0-9_]*)?\\.[0-9_]*',
  '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:t|T|[\\t ]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\\.[0-9]+)?(?:[\\t ]*(?:Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?',
].map((alternative) => `(?:${alternative})`).join('|')})$`);

/** A single-line string in quotes: single if that avoids escaping a `"`, else JSON's double quotes. */
function quotedYaml(s: string): string {
  return s.includes('"') && !s.includes("'") ? `'${s}'` : JSON.stringify(s);
}

/** A mapping key (always a string here); `topLevel` for the keys of a document's root mapping. */
function keyYaml(key: string, topLevel: boolean): string {
  if (ESCAPED.test(key) || key.includes('\n')) throw LEFT_TO_YAML;
  let text: string;
  if (NOT_PLAIN.test(key) || READS_AS_OTHER_TYPE.test(key)) text = quotedYaml(key);
  // At the root a key starting with a document marker would end the document.
  else if (topLevel && (key.startsWith('---') || key.startsWith('...'))) text = quotedYaml(key);
  else text = key;
  // Longer implicit keys are not allowed; `yaml` switches to `? key`.
  if (text.length > 1024) throw LEFT_TO_YAML;
  return text;
}

/** A string value; a multi-line one becomes a literal block scalar whose lines start at `indent`. */
function stringYaml(s: string, indent: string): string {
  if (ESCAPED.test(s)) throw LEFT_TO_YAML;
  if (s.includes('\n')) return literalYaml(s, indent);
  return NOT_PLAIN.test(s) || READS_AS_OTHER_TYPE.test(s) ? quotedYaml(s) : s;
}

/**
 * `|` with its chomping indicator (`-` no final line break, none for one, `+` for more), and an
 * indentation indicator when the text starts with a space. Text whose last line holds only blanks
 * has no literal form that keeps them; `yaml` quotes it.
 */
function literalYaml(s: string, indent: string): string {
  if (/\n[\t ]+$/.test(s)) throw LEFT_TO_YAML;
  let bodyEnd = s.length;
  while (bodyEnd > 0 && (s[bodyEnd - 1] === '\n' || s[bodyEnd - 1] === ' ' || s[bodyEnd - 1] === '\t')) bodyEnd--;
  let tail = s.slice(bodyEnd);
  const tailBreak = tail.indexOf('\n');
  const chomp = tailBreak === -1 ? '-' : bodyEnd === 0 || tailBreak !== tail.length - 1 ? '+' : '';
  // The header's line break stands for the final one; the other trailing breaks stay.
  if (tail.endsWith('\n')) tail = tail.slice(0, -1);
  tail = tail.replace(/\n+(?=[^\n])/g, `$&${indent}`);
  let body = s.slice(0, bodyEnd);
  // Leading spaces and empty lines: an indicator if a space comes first on the first text line.
  let leadEnd = 0;
  let lastBreak = -1;
  let leadingSpace = false;
  for (; leadEnd < body.length; leadEnd++) {
    if (body[leadEnd] === ' ') leadingSpace = true;
    else if (body[leadEnd] === '\n') lastBreak = leadEnd;
    else break;
  }
  const head = body.slice(0, lastBreak + 1).replace(/\n+/g, `$&${indent}`);
  body = body.slice(lastBreak + 1).replace(/\n+/g, `$&${indent}`);
  return `|${leadingSpace ? '2' : ''}${chomp}\n${indent}${head}${body}${tail}`;
}
