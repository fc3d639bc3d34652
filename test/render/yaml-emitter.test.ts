import { App, Testing, Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import { buildEnvironments } from '../../apps/environments';
import { generatedEnvironments } from '../../bench/environments';
import { synthesize, synthFiles } from '../../lib/output/synth';
import { emittedYaml, stringifyYaml } from '../../lib/render/yaml';
import { parseYaml } from '../util/output';

// The library writes YAML with its own emitter (lib/render/yaml.ts), which must give the bytes of
// cdk8s's `Yaml.stringify` wherever it does not leave a document to that function.

type Emit = (doc: unknown) => string | undefined;

/** What `f` returns, or the message it throws. */
function outcome(f: () => string): { text: string } | { error: string } {
  try {
    return { text: f() };
  } catch (e) {
    return { error: String(e) };
  }
}

/** Where `emit` writes a document, it writes what `Yaml.stringify` writes (which may throw: then `emit` leaves it). */
function agrees(emit: Emit, doc: unknown): boolean {
  const text = emit(doc);
  return text === undefined || text === Yaml.stringify(doc);
}

/** Every example app's output: the seeds' environments and 12 of the benchmark's (each stack kind and node size at least once). */
function exampleApps(): App[] {
  const seeds = Testing.app();
  buildEnvironments(seeds);
  const fleet = Testing.app();
  generatedEnvironments(fleet, 12);
  return [seeds, fleet];
}

describe('the YAML emitter on every example output', () => {
  const apps = exampleApps();

  test('every manifest document: the same bytes as Yaml.stringify, none left to it', () => {
    let docs = 0;
    for (const app of apps) {
      for (const manifest of synthesize(app).manifests) {
        for (const doc of manifest.docs) {
          docs++;
          expect(emittedYaml(doc)).toBe(Yaml.stringify(doc));
        }
      }
    }
    expect(docs).toBeGreaterThan(250);
  });

  test('every YAML file, read back: written as Yaml.stringify writes what it holds', () => {
    let files = 0;
    for (const app of apps) {
      for (const file of synthFiles(app).filter((f) => /\.ya?ml$/.test(f.path))) {
        files++;
        const docs = parseYaml(file.content);
        const body = file.content.replace(/^(#.*\n)+/, '');
        expect(body).toBe(Yaml.stringify(...docs));
        expect(stringifyYaml(...docs)).toBe(body);
        for (const doc of docs) expect(emittedYaml(doc)).toBeDefined();
      }
    }
    expect(files).toBeGreaterThan(50);
  });
});

// Strings that YAML 1.1 readers take for something else, or that need quotes, escapes or block indicators.
const NASTY = [
  '', ' ', '  ', '\t', 'yes', 'Yes', 'YES', 'yES', 'no', 'No', 'NO', 'y', 'Y', 'n', 'N', 'on', 'On', 'ON', 'oN', 'off', 'Off', 'OFF',
  'true', 'True', 'TRUE', 'tRUE', 'false', 'False', 'FALSE', 'null', 'Null', 'NULL', 'nULL', '~', '~a',
  '0', '00', '007', '08', '0x1F', '0X1F', '0x', '0xg', '0b101', '0b2', '0o17', '1_000', '_1', '123', '-123', '+1', '+', '-0',
  '1e3', '1E3', '1e+3', '1e-3', 'e3', '1e', '.e3', '1.5', '.5', '5.', '1.2.3', '+.inf', '-.Inf', '.INF', '.inf', 'inf', '.nan', '.NaN', 'NaN', 'Infinity',
  '1:20', '190:20:30', '1:20.5', '1:60', '-1:20', '2001-12-14', '2001-1-1', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5',
  '2001-12-14T21:59:43Z', '2001-12-14 21:59', '20011214',
  '-', '?', ':', '- a', '-a', '? a', '?a', 'a: b', 'a:', 'a :b', ':a', 'a:b', 'http://x', '#a', 'a #b', 'a#b', 'a\t#b',
  '%a', '@a', '`a', '!a', '&a', '*a', '|', '|a', '>', '>a', '"', "'", 'a"b', "a'b", `a'b"c`, '"a"', "'a'", '[a]', '{a}', ']', '}', ',a', 'a,b', 'a]',
  '---', '--- a', '---a', '...', '... a', '...a', '--', '<<', '<<a', '=', ' a', 'a ', 'a\tb', '\ta', 'a\t', 'a  b',
  '\n', '\n\n', 'a\n', 'a\n\n', 'a\n\n\n', '\na', '\n\na', ' \na', '\n a', 'a\n ', 'a\n\t', 'a \nb', 'a\n b', 'a\n\tb', 'a\n\n b\n', ' a\nb\n',
  'a\n---\nb', 'a\n...\n', '%x\ny', 'a\n#b', 'a\n- b', 'a:\n b', 'a\n \n', 'a\n\n \nb', '\n \n', ' \n', '\t\n', 'a\r\nb', 'a\rb',
  '\u0000', 'a\u0007b', '\u001b[0m', '\u007f', '\u0085', 'a\u00a0b', '\u00a0', 'a\u2028b', '\u2029', '\ud800', 'a\udfffb', '😀', 'é', '日本語 テキスト', '\ufeffa',
  'x'.repeat(1100), `${'word '.repeat(60)}end`, `${'a'.repeat(300)}\n${'b '.repeat(200)}`,
];

const nastyString = fc.constantFrom(...NASTY);
const blankish = fc.stringOf(fc.constantFrom(' ', '\t', '\n', ':', '#', '-', '?', 'a', '0', '.', "'", '"', ','), { maxLength: 8 });
const line = fc.oneof(nastyString.filter((s) => !s.includes('\n')), blankish.filter((s) => !s.includes('\n')), fc.constant(''));
const multiLine = fc.tuple(
  fc.stringOf(fc.constantFrom(' ', '\n'), { maxLength: 3 }),
  fc.array(line, { minLength: 1, maxLength: 5 }),
  // Chomping: none, clip, keep; blanks on the last line (which only quotes can hold) now and then.
  fc.constantFrom('', '', '\n', '\n', '\n\n', '\n\n\n', ' ', '\t', ' \n', '\n \n', '\n\t', '\n '),
).map(([lead, lines, trail]) => lead + lines.join('\n') + trail);
const anyString = fc.oneof(
  { weight: 4, arbitrary: nastyString },
  { weight: 2, arbitrary: blankish },
  { weight: 3, arbitrary: multiLine },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
);
// Keys: mostly on one line (a multi-line key, like a control character, leaves the document to yaml).
const aKey = fc.oneof(
  { weight: 6, arbitrary: line },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: anyString },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
);
const aNumber = fc.oneof(
  fc.integer(), fc.double(), fc.constantFrom(0, -0, 1e21, 1e-7, 5e-324, Number.MAX_SAFE_INTEGER + 2, NaN, Infinity, -Infinity, 0.1, 100, 1.5e300),
);
// Values the emitter leaves to the yaml package: it must then say so, never write something else.
const leftToYaml = fc.constantFrom<unknown>(new Date(0), new Map([['a', 1]]), new Set([1]), BigInt(1), Symbol('s'), new Uint8Array([1]), Object.create({ x: 1 }), { toJSON: () => 'j' });

const { doc: docArb } = fc.letrec<{ value: unknown; doc: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 6, arbitrary: anyString },
    { weight: 2, arbitrary: aNumber },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(true, false, null, undefined, [], {}) },
    { weight: 3, arbitrary: fc.array(tie('value'), { maxLength: 4 }) },
    { weight: 3, arbitrary: fc.dictionary(aKey, tie('value'), { maxKeys: 4 }) },
  ),
  doc: fc.oneof(
    { weight: 8, arbitrary: fc.dictionary(aKey, tie('value'), { maxKeys: 6 }) },
    { weight: 2, arbitrary: fc.array(tie('value'), { maxLength: 5 }) },
    // The same object twice (an alias in yaml), something not JSON, a scalar document.
    { weight: 1, arbitrary: fc.dictionary(aKey, tie('value'), { minKeys: 1, maxKeys: 3 }).map((o) => ({ a: o, b: [o] })) },
    { weight: 1, arbitrary: fc.tuple(aKey, leftToYaml).map(([k, v]) => ({ [k]: v, z: 1 })) },
    { weight: 1, arbitrary: fc.oneof(anyString, aNumber, fc.constant(undefined)) },
  ),
}));

describe('the YAML emitter on generated documents', () => {
  test('the same bytes as Yaml.stringify, document by document and for several documents; many of them emitted', () => {
    let emitted = 0;
    let total = 0;
    fc.assert(fc.property(fc.array(docArb, { minLength: 1, maxLength: 3 }), (docs) => {
      for (const d of docs) {
        total++;
        if (emittedYaml(d) !== undefined) emitted++;
        expect(agrees(emittedYaml, d)).toBe(true);
      }
      expect(outcome(() => stringifyYaml(...docs))).toEqual(outcome(() => Yaml.stringify(...docs)));
    }), { numRuns: 1000 });
    // Not a vacuous check: the emitter, not its fallback, wrote many of them (the rest hold what it leaves to yaml on purpose).
    expect(emitted / total).toBeGreaterThan(0.4);
  });

  test('each nasty string as a key and as a value, at the root, nested, in sequences', () => {
    for (const s of NASTY) {
      for (const d of [{ [s]: s }, { a: { [s]: [s, { [s]: s }] } }, [s, [s], { k: s }], { k: [[s]] }, { k: { l: { m: s } } }]) {
        const expected = Yaml.stringify(d);
        expect(stringifyYaml(d)).toBe(expected);
        const emitted = emittedYaml(d);
        if (emitted !== undefined) expect(emitted).toBe(expected);
      }
    }
  });

  test('the check finds a planted defect: `yes` unquoted', () => {
    const defective: Emit = (d) => emittedYaml(d)?.replace(/"yes"/g, 'yes');
    const result = fc.check(fc.property(docArb, (d) => agrees(defective, d)), { numRuns: 3000 });
    expect(result.failed).toBe(true);
  });
});
