// fast-check arbitraries for every construct's props. Each prop mixes valid values with invalid ones of
// named classes (see docs/bad-input.md), and every generated value knows what the build must do with it:
// its `faults` are the (construct path, prop) pairs a ValidationError must name; a prop set without
// faults must synthesize. Cross-field rules (request > limit, capacity, profile vs namespace level, ...)
// are computed from the generated data by small oracles written independently of the library.
import { Chart, Duration, Size } from 'cdk8s';
import {
  ConfigMap, Cpu, EmptyDirMedium, PersistentVolumeClaim, Secret, ServiceAccount, TaintEffect,
} from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { AppImage, CalculatorApp } from '../../lib/calculator-app';
import { IImageMirror, ImageBuilder } from '../../lib/calculator-pipeline';
import { CiNodePool, NodeAffinityOperator } from '../../lib/ci-node-pool';
import { DnsResolver, DnsStrategy } from '../../lib/dns-strategy';
import { CpuArchitecture, HelperImage, HelperImageFlavor } from '../../lib/helper-image';
import { JobPodPolicy, JobSecurityProfile } from '../../lib/job-pod-policy';
import { JobVolume } from '../../lib/job-volume';
import { FEATURE_FLAGS } from '../../lib/model/runner-config';
import { PodSecurityLevel } from '../../lib/pod-security';
import { PullPolicy } from '../../lib/pull-policy';
import { RunnerCache } from '../../lib/runner-cache';
import { LogFormat, LogLevel, RunnerManager } from '../../lib/runner-manager';
import { NetworkEndpoint } from '../../lib/network-policies';
import { BuilderKind } from '../../lib/stacks/props';
import { imageMirror } from '../../lib/stacks/settings';
import { PropChecker } from '../../lib/validation/prop-checker';
import { describeValue } from '../../lib/validation/errors';
import { redactText } from '../../lib/validation/secrets';
import { propMatches } from './check-outcome';

// ===================================================================================================
// The generated values

/** A bad value the build must report. */
export interface Fault {
  /** Path of the construct the ValidationError must name; `''` until the consuming construct is known. */
  readonly at: string;
  /** The prop the error must name, or a prop inside it (`tags` matches `tags[1]`, `podLabels key`, `podLabels["k"]`). */
  readonly prop: string;
  /** How the message must show the value after `got ` (`describeValue`), when it is the injected value itself. */
  readonly got?: string;
}

/** A generated value: built in a fresh scope, shown in counterexamples, with the faults it carries. */
export interface Gen<T = any> {
  /** Builds the value in the run's chart (constructs, Secrets) or lazily (class values), so its errors land in the build. */
  readonly make: (scope: Construct) => T;
  /** Source-like text for counterexamples. */
  readonly show: string;
  /** Bad input: the build must fail naming one of these. */
  readonly faults: readonly Fault[];
  /** Combinations the oracles do not decide: a failure naming one of these is accepted. */
  readonly mayFail: readonly Fault[];
  /** Plain data for the cross-field oracles (numbers in millicores and bytes, seconds, names). */
  readonly data: any;
}

/** A prop: how to generate valid values, and (when it has any) invalid ones. */
export interface Field<T = any> {
  readonly valid: fc.Arbitrary<Gen<T>>;
  readonly invalid?: fc.Arbitrary<Gen<T>>;
}

/** Extra faults an oracle derives from a record's or list's data. */
export interface Cross {
  readonly faults?: readonly Fault[];
  readonly mayFail?: readonly Fault[];
  /** Props whose faults become `mayFail`: the library ignores the prop in this combination. */
  readonly waive?: readonly string[];
}

const NONE: readonly Fault[] = [];

/** A plain value. */
export function ok<T>(value: T, show: string = fc.stringify(value), data: unknown = value): Gen<T> {
  return { make: () => value, show, faults: NONE, mayFail: NONE, data };
}

/** A value built at run time. */
export function lazy<T>(make: (scope: Construct) => T, show: string, data?: unknown): Gen<T> {
  return { make, show, faults: NONE, mayFail: NONE, data };
}

/** `g`, which the build must report as a bad `prop`. */
export function bad<T>(g: Gen<T>, prop: string, got?: string): Gen<T> {
  return { ...g, faults: [...g.faults, { at: '', prop, got }] };
}

/** Sets the construct path of every fault not yet placed. */
export function stamp<T>(g: Gen<T>, at: string): Gen<T> {
  const place = (fs: readonly Fault[]) => fs.map((f) => (f.at === '' ? { ...f, at } : f));
  return { ...g, faults: place(g.faults), mayFail: place(g.mayFail) };
}

/** Prefixes the props of unplaced faults (`nameservers[1]` -> `dnsStrategy.nameservers[1]`) and places them at `at`. */
export function relocate<T>(g: Gen<T>, prefix: string, at: string): Gen<T> {
  const move = (fs: readonly Fault[]) => fs.map((f) => (f.at === '' ? { ...f, at, prop: `${prefix}.${f.prop}` } : f));
  return { ...g, faults: move(g.faults), mayFail: move(g.mayFail) };
}

/** The value as the message shows it, for primitives. */
function gotOf(v: unknown): string | undefined {
  // As the error shows it: a credential-looking part (the password of a URL) redacted.
  return ['string', 'number', 'boolean', 'undefined'].includes(typeof v) ? describeValue(typeof v === 'string' ? redactText(v) : v) : undefined;
}

// ===================================================================================================
// Combinators

/** A prop of plain values; invalid ones are faults on `prop`, shown as themselves in the message. */
export function plain<T>(prop: string, valid: fc.Arbitrary<T>, invalid?: fc.Arbitrary<unknown>, withGot = true): Field<T> {
  return {
    valid: valid.map((v) => ok(v)),
    invalid: invalid?.map((v) => bad(ok(v as T), prop, withGot ? gotOf(v) : undefined)),
  };
}

/** A prop of generated values; an invalid one without faults of its own is a fault on `prop`. */
export function built<T>(prop: string, valid: fc.Arbitrary<Gen<T>>, invalid?: fc.Arbitrary<Gen<T>>): Field<T> {
  return { valid, invalid: invalid?.map((g) => (g.faults.length > 0 ? g : bad(g, prop))) };
}

/** An optional prop: omitted a third of the time (its default applies). */
export function optional<T>(f: Field<T>, omit = 1, keep = 2): Field<T | undefined> {
  return {
    valid: fc.oneof({ weight: omit, arbitrary: fc.constant(ok<T | undefined>(undefined)) }, { weight: keep, arbitrary: f.valid }),
    invalid: f.invalid,
  };
}

/** `f` with more ways to be invalid. */
export function withInvalid<T>(f: Field<T>, ...more: fc.Arbitrary<Gen<T>>[]): Field<T> {
  return { valid: f.valid, invalid: fc.oneof(...(f.invalid ? [f.invalid] : []), ...more) };
}

/** `f` with every unplaced fault placed at `at`. */
export function placed<T>(f: Field<T>, at: string): Field<T> {
  return { valid: f.valid.map((g) => stamp(g, at)), invalid: f.invalid?.map((g) => stamp(g, at)) };
}

/** `f` with its unplaced faults moved under `prefix` and placed at `at`. */
export function relocated<T>(f: Field<T>, prefix: string, at: string): Field<T> {
  return { valid: f.valid.map((g) => relocate(g, prefix, at)), invalid: f.invalid?.map((g) => relocate(g, prefix, at)) };
}

/** Options of `record`. */
export interface RecordOptions {
  /** Share (percent) of records with every field valid; the others have one or more invalid fields. */
  readonly validPercent?: number;
  /** Cross-field oracle: extra faults from the fields' data; `broken(key)` tells which fields carry faults. */
  readonly cross?: (data: any, broken: (key: string) => boolean) => Cross;
}

/**
 * A props object. Each field is invalid with the probability that leaves `validPercent` % of records
 * fully valid (so a record rarely has more than two bad fields); at 0 % exactly one field is invalid.
 * Only the chosen branch of a field is generated, and shrinking moves fields towards valid values.
 * Fields whose value is `undefined` are left out.
 */
export function record(specs: { readonly [key: string]: Field }, options: RecordOptions = {}): fc.Arbitrary<Gen> {
  const keys = Object.keys(specs);
  const breakable = keys.filter((k) => specs[k].invalid !== undefined);
  const validPercent = breakable.length === 0 ? 100 : options.validPercent ?? 50;
  const combineAll = (parts: { [key: string]: Gen }) => combine(Object.fromEntries(keys.map((k) => [k, parts[k]])), options.cross);
  const valid = () => fc.record(Object.fromEntries(keys.map((k) => [k, specs[k].valid])) as { [key: string]: fc.Arbitrary<Gen> });
  if (validPercent >= 100) return valid().map(combineAll);
  if (validPercent <= 0) {
    const oneBad = fc.oneof(...breakable.map((k) => specs[k].invalid!.map((g) => [k, g] as const)));
    return fc.tuple(valid(), oneBad).map(([parts, [k, g]]) => combineAll({ ...parts, [k]: g }));
  }
  const badWeight = Math.max(1, Math.round(1000 * (1 - (validPercent / 100) ** (1 / breakable.length))));
  return fc.record(Object.fromEntries(keys.map((k) => [k, specs[k].invalid === undefined ? specs[k].valid
    : fc.oneof({ weight: 1000 - badWeight, arbitrary: specs[k].valid }, { weight: badWeight, arbitrary: specs[k].invalid! })])) as
    { [key: string]: fc.Arbitrary<Gen> }).map(combineAll);
}

/** A nested props object as one field: valid when every field is, invalid when one is. */
export function nested(specs: { readonly [key: string]: Field }, options: Omit<RecordOptions, 'validPercent'> = {}): Field {
  return { valid: record(specs, { ...options, validPercent: 100 }), invalid: record(specs, { ...options, validPercent: 0 }) };
}

/** Options of `withTypo`. */
export interface TypoOptions {
  /** Where the error must be (the construct or factory that checks the keys); unplaced by default. */
  readonly at?: string;
  /** The error's prop before the key: `options.` for a factory's options. */
  readonly prefix?: string;
  /** Put the misspelled key inside this nested prop (when the record has it), e.g. a stack's `network`. */
  readonly inside?: string;
}

/**
 * `arb` with a misspelled key in one record of 25: one of its keys with a letter dropped (`concurent`),
 * or a trailing `s`, which the build must reject naming that key (JavaScript callers get no type check).
 */
export function withTypo(arb: fc.Arbitrary<Gen>, options: TypoOptions = {}): fc.Arbitrary<Gen> {
  const typo = fc.tuple(arb, fc.nat(), fc.boolean()).map(([g, n, drop]) => {
    const target = options.inside === undefined ? g.data : g.data?.[options.inside];
    const keys = target && typeof target === 'object' ? Object.keys(target) : [];
    if (keys.length === 0) return g;
    const key = keys[n % keys.length];
    let wrong = drop && key.length > 3 ? key.slice(0, n % key.length) + key.slice((n % key.length) + 1) : `${key}s`;
    while (keys.includes(wrong)) wrong += 'x';
    const prefix = `${options.prefix ?? ''}${options.inside === undefined ? '' : `${options.inside}.`}`;
    return {
      ...g,
      make: (scope: Construct) => {
        const props = g.make(scope);
        if (options.inside === undefined) return { ...props, [wrong]: true };
        return { ...props, [options.inside]: { ...props[options.inside], [wrong]: true } };
      },
      show: `${g.show} + ${prefix}${wrong}: true`,
      faults: [...g.faults, { at: options.at ?? '', prop: `${prefix}${wrong}`, got: 'true' }],
    };
  });
  return fc.oneof({ weight: 24, arbitrary: arb }, { weight: 1, arbitrary: typo });
}

function applyCross(faults: Fault[], mayFail: Fault[], c: Cross | undefined): [Fault[], Fault[]] {
  if (!c) return [faults, mayFail];
  let f = [...faults, ...(c.faults ?? [])];
  const m = [...mayFail, ...(c.mayFail ?? [])];
  if (c.waive?.length) {
    const waived = (x: Fault) => x.at === '' && c.waive!.some((p) => propMatches(x.prop, p));
    m.push(...f.filter(waived));
    f = f.filter((x) => !waived(x));
  }
  return [f, m];
}

/** Combines fields into a props object; a key starting with `...` is spread into it (several props that go together). */
export function combine(parts: { readonly [key: string]: Gen }, cross?: RecordOptions['cross']): Gen {
  const keys = Object.keys(parts);
  const spread = (k: string) => k.startsWith('...');
  const data: any = {};
  for (const k of keys) {
    if (!spread(k)) data[k] = parts[k].data;
    else if (parts[k].data) Object.assign(data, parts[k].data);
  }
  const [faults, mayFail] = applyCross(keys.flatMap((k) => parts[k].faults), keys.flatMap((k) => parts[k].mayFail),
    cross?.(data, (k) => (parts[k]?.faults.length ?? 0) > 0));
  return {
    make: (scope) => {
      const out: any = {};
      for (const k of keys) {
        const v = parts[k].make(scope);
        if (v !== undefined && spread(k)) Object.assign(out, v);
        else if (v !== undefined) out[k] = v;
      }
      return out;
    },
    show: `{ ${keys.filter((k) => parts[k].show !== 'undefined').map((k) => (spread(k) ? `...${parts[k].show}` : `${k}: ${parts[k].show}`)).join(', ')} }`,
    faults,
    mayFail,
    data,
  };
}

/** Options of `list`. */
export interface ListOptions {
  readonly minLength?: number;
  readonly maxLength: number;
  /** Oracle over the elements' data (duplicates, ...). */
  readonly cross?: (data: any[], broken: (i: number) => boolean) => Cross;
  /** More invalid lists (wrong lengths, wrong types), each a fault on the list prop unless it carries its own. */
  readonly invalid?: readonly fc.Arbitrary<Gen>[];
}

/** A list prop whose elements come from `element(`<prop>[i]`, i)`; invalid lists have one bad element, or come from `invalid`. */
export function list<T>(prop: string, element: (prop: string, index: number) => Field<T>, options: ListOptions): Field<T[]> {
  const min = options.minLength ?? 0;
  const max = options.maxLength;
  const elements = Array.from({ length: max }, (_, i) => element(`${prop}[${i}]`, i));
  const valids = fc.tuple(...elements.map((e) => e.valid));
  const valid = fc.tuple(fc.integer({ min, max }), valids).map(([n, gens]) => combineList(gens.slice(0, n), options.cross));
  const invalids: fc.Arbitrary<Gen>[] = (options.invalid ?? []).map((a) => a.map((g) => (g.faults.length ? g : bad(g, prop))));
  if (elements.every((e) => e.invalid) && max > 0) {
    const bads = fc.tuple(...elements.map((e) => e.invalid!));
    invalids.push(fc.tuple(fc.integer({ min: Math.max(min, 1), max }), valids, bads, fc.nat()).map(([n, vs, bs, k]) => {
      const gens = vs.slice(0, n);
      gens[k % n] = bs[k % n];
      return combineList(gens, options.cross);
    }));
  }
  return { valid, invalid: invalids.length ? fc.oneof(...invalids) : undefined };
}

function combineList(gens: readonly Gen[], cross?: ListOptions['cross']): Gen {
  const data = gens.map((g) => g.data);
  const [faults, mayFail] = applyCross(gens.flatMap((g) => g.faults), gens.flatMap((g) => g.mayFail),
    cross?.(data, (i) => (gens[i]?.faults.length ?? 0) > 0));
  return {
    make: (scope) => gens.map((g) => g.make(scope)),
    show: `[${gens.map((g) => g.show).join(', ')}]`,
    faults,
    mayFail,
    data,
  };
}

/** The first index whose key repeats an earlier one. */
function firstDuplicate<T>(items: readonly T[], key: (t: T) => unknown = (t) => t): number {
  const seen = new Set<unknown>();
  for (let i = 0; i < items.length; i++) {
    const k = key(items[i]);
    if (seen.has(k)) return i;
    seen.add(k);
  }
  return -1;
}

/** A construct id from a prop (`imagePullSecrets[1]` -> `imagePullSecrets-1`). */
function idOf(prop: string): string {
  return prop.replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, '');
}

// ===================================================================================================
// Leaves: strings, numbers, enums

/** Strings YAML 1.1, TOML and Helm's `tpl` treat specially, plus random graphemes. */
const TRICKY = ['yes', 'no', 'on', 'off', 'true', 'null', '0755', '1e3', '~', '- item', 'key: value', '#comment', 'it\'s',
  'say "hi"', 'back\\slash', '{{ .Release.Name }}', '{{', '}}', '${CI_JOB_ID}', 'two\nlines', 'tab\there', 'ünïcödé',
  '🚀 launch', '*', '&anchor', '!tag', '@at', '`tick`', '%p', '[1, 2]', '{a: 1}', '"""', '\'\'\'', ' leading', 'trailing ',
  'bell\u0007', 'esc\u001b[31m', 'line\u2028sep'];
export const text: fc.Arbitrary<string> = fc.oneof(fc.constantFrom(...TRICKY), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 16 }))
  .filter((s) => !/undefined|NaN/.test(s));
const nonBlank = text.filter((s) => s.trim() !== '');

/** Wrong types for a string prop. */
const NOT_STRINGS: unknown[] = [42, true, ['x'], { value: 'x' }];

export function int(prop: string, min: number, max?: number, validMax?: number): Field<number> {
  // 2**31 overflows int32; 1e21 would render as "1e+21".
  const invalid: unknown[] = [min - 1, min + 0.5, NaN, Infinity, -Infinity, '3', true, 2 ** 31, 1e21];
  if (max !== undefined) invalid.push(max + 1);
  return plain(prop, fc.integer({ min, max: validMax ?? max ?? min + 20 }), fc.constantFrom(...invalid));
}

export function bool(prop: string): Field<boolean> {
  return plain(prop, fc.boolean(), fc.constantFrom<unknown>('true', 1, 'yes', 0));
}

/** A boolean that is `usual` five times in six. */
export function mostly(prop: string, usual: boolean): Field<boolean> {
  return { valid: fc.oneof({ weight: 5, arbitrary: fc.constant(ok(usual)) }, { weight: 1, arbitrary: fc.constant(ok(!usual)) }), invalid: bool(prop).invalid };
}

export function enumField<T extends string>(prop: string, values: readonly T[]): Field<T> {
  const invalid: unknown[] = ['bogus', '', 42, ` ${values[0]}`];
  if (values[0].toUpperCase() !== values[0]) invalid.push(values[0].toUpperCase());
  return plain(prop, fc.constantFrom(...values), fc.constantFrom(...invalid));
}

export function nonEmpty(prop: string, valid: fc.Arbitrary<string> = nonBlank): Field<string> {
  return plain(prop, valid, fc.constantFrom<unknown>('', '   ', '\n', ...NOT_STRINGS));
}

// ===================================================================================================
// Leaves: Kubernetes names, labels, images, addresses

const labelPart = fc.stringMatching(/^[a-z]([a-z0-9-]{0,8}[a-z0-9])?$/);
export const dnsLabelValue = fc.oneof(fc.constantFrom('gitlab', 'gitlab-runner', 'ci', 'ci-jobs', 'calculator', 'a', 'x1'), labelPart);
export const dnsSubdomainValue = fc.oneof(dnsLabelValue, fc.array(labelPart, { minLength: 2, maxLength: 3 }).map((a) => a.join('.')));
const BAD_NAMES: unknown[] = ['', 'Gitlab', 'my ns', 'nämespace', '{{ .Release.Namespace }}', '-ci', 'ci-', 'ci_jobs', ' ci', 42, ['ci']];

export function dnsLabel(prop: string, maxLength = 63, valid: fc.Arbitrary<string> = dnsLabelValue): Field<string> {
  return plain(prop, valid, fc.constantFrom(...BAD_NAMES, 'ci.jobs', 'x'.repeat(maxLength + 1)));
}

export function dnsSubdomain(prop: string, valid: fc.Arbitrary<string> = dnsSubdomainValue): Field<string> {
  return plain(prop, valid, fc.constantFrom(...BAD_NAMES, 'a..b', '.a', 'a.', 'x'.repeat(254)));
}

const labelName = fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,8}[A-Za-z0-9])?$/);
export const labelKeyValue = fc.oneof(
  fc.constantFrom('workload', 'app.kubernetes.io/name', 'node-role.kubernetes.io/ci', 'example.com/team', 'zone'),
  labelName,
  fc.tuple(dnsSubdomainValue, labelName).map(([p, n]) => `${p}/${n}`));
export const labelValueValue = fc.oneof(fc.constantFrom('', 'ci', 'true', 'v1.2', 'A_b-c'), labelName);
const BAD_LABEL_KEYS = ['bad key', '-x', 'x-', 'a/b/c', 'Example.COM/x', '/x', 'x/', '', 'ü', 'k'.repeat(64), '{{ x }}'];
const BAD_LABEL_VALUES: unknown[] = ['has space', '-x', 'x-', 'v'.repeat(64), 'ü', '{{x}}', 'a/b', 42, true];

/** A map of labels; invalid: one bad key or one bad value. */
export function labelMap(prop: string, valueOk: fc.Arbitrary<unknown> = labelValueValue, valueBad: unknown[] = BAD_LABEL_VALUES): Field {
  const map = fc.dictionary(labelKeyValue, valueOk, { maxKeys: 3 });
  return {
    valid: map.map((m) => ok(m)),
    invalid: fc.oneof(
      fc.tuple(map, fc.constantFrom(...BAD_LABEL_KEYS), valueOk).map(([m, k, v]) => bad(ok({ ...m, [k]: v }), prop, describeValue(k))),
      fc.tuple(map, labelKeyValue, fc.constantFrom(...valueBad)).map(([m, k, v]) => bad(ok({ ...m, [k]: v }), prop, gotOf(v)))),
  };
}

export function annotationMap(prop: string): Field {
  return labelMap(prop, text, [42, true, ['x'], { a: 1 }]);
}

const tagPart = fc.stringMatching(/^v?[0-9]{1,2}(\.[0-9]{1,2}){0,2}(-[a-z]{1,6})?$/);
const imageName = fc.stringMatching(/^[a-z0-9]{1,8}(-[a-z0-9]{1,4})?(\/[a-z0-9]{1,8})?$/);
const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
export const pinnedImageValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('alpine:3.22', 'docker:27.3.1', 'registry.example.com/library/alpine:3.22', 'python:3.9-slim', 'busybox:1.36',
    'ghcr.io/org/tool:v1.2.3', `alpine@${DIGEST}`, `alpine:3.22@${DIGEST}`, 'localhost:5000/app:1'),
  fc.tuple(fc.constantFrom('', 'registry.example.com/', 'mirror.local:5000/'), imageName, tagPart).map(([r, n, t]) => `${r}${n}:${t}`));
const UNPINNED: unknown[] = ['alpine', 'alpine:latest', 'docker:dind', 'docker:stable', 'Alpine:3.22', 'alpine:3.22 ', ' alpine:3.22',
  'alpine@sha256:abc', 'https://registry.example.com/alpine:3', '', 'alpine:{{ .Values.tag }}', 'alpine:3.22:1', 42];

/** A pinned image; `withGot: false` where a mirror rewrites it before the check (the message shows the mirrored one). */
export function pinnedImage(prop: string, withGot = true): Field<string> {
  return plain(prop, pinnedImageValue, fc.constantFrom(...UNPINNED), withGot);
}

export const registryHostValue = fc.constantFrom('registry.example.com', 'mirror.local:5000', 'localhost:5000', 'reg-1.corp.example.com');
const BAD_REGISTRIES: unknown[] = ['https://registry.example.com', 'Registry.example.com', 'registry.example.com/path', '', 'reg istry', '-reg', 42];

export function registryHost(prop: string): Field<string> {
  return plain(prop, registryHostValue, fc.constantFrom(...BAD_REGISTRIES));
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
export const ipValue: fc.Arbitrary<string> = fc.oneof({ weight: 4, arbitrary: fc.ipV4() }, { weight: 1, arbitrary: fc.ipV6() });
const BAD_IPS: unknown[] = ['dns.corp.example.com', '10.0.0.256', '10.0.0', '010.0.0.1', ' 10.0.0.2', '10.0.0.2/24', '::gg', '',
  '1.2.3.4.5', 'localhost', '10.0.0.2:53', '1::2::3', 42];
export const badIp: fc.Arbitrary<unknown> = fc.oneof(fc.constantFrom(...BAD_IPS), fc.ipV4Extended().filter((s) => !IPV4.test(s)));

export function ip(prop: string): Field<string> {
  return plain(prop, ipValue, badIp);
}

// ===================================================================================================
// Leaves: quantities and durations (class values, built lazily; data in millicores, bytes, seconds)

export function cpuGen(millis: number, units: boolean): Gen<Cpu> {
  return units && millis % 1000 === 0
    ? lazy(() => Cpu.units(millis / 1000), `Cpu.units(${millis / 1000})`, millis)
    : lazy(() => Cpu.millis(millis), `Cpu.millis(${millis})`, millis);
}
const cpuOf = (min: number, max: number) => fc.tuple(fc.integer({ min, max }), fc.boolean()).map(([m, u]) => cpuGen(m, u));
const BAD_CPU: Gen<Cpu>[] = [
  lazy(() => Cpu.units(-1), 'Cpu.units(-1)'), lazy(() => Cpu.millis(-250), 'Cpu.millis(-250)'), lazy(() => Cpu.millis(0.5), 'Cpu.millis(0.5)'),
  lazy(() => Cpu.millis(1.5), 'Cpu.millis(1.5)'), lazy(() => Cpu.millis(NaN), 'Cpu.millis(NaN)'), lazy(() => Cpu.units(Infinity), 'Cpu.units(Infinity)'),
  // Beyond the exact range, and in exponent form: "1e+30".
  lazy(() => Cpu.units(1e30), 'Cpu.units(1e30)'), lazy(() => Cpu.millis(2 ** 53), 'Cpu.millis(2 ** 53)'),
  ok('500m' as unknown as Cpu), ok(2 as unknown as Cpu)];
export const badCpu: fc.Arbitrary<Gen<Cpu>> = fc.constantFrom(...BAD_CPU);

const MI = 2 ** 20;
const GI = 2 ** 30;
export function sizeGen(bytes: number): Gen<Size> {
  if (bytes % GI === 0) return lazy(() => Size.gibibytes(bytes / GI), `Size.gibibytes(${bytes / GI})`, bytes);
  if (bytes % MI === 0) return lazy(() => Size.mebibytes(bytes / MI), `Size.mebibytes(${bytes / MI})`, bytes);
  return lazy(() => Size.kibibytes(bytes / 1024), `Size.kibibytes(${bytes / 1024})`, bytes);
}
/** Sizes from `minMi` to `maxMi` mebibytes, some of them whole gibibytes, some odd kibibytes. */
const sizeOf = (minMi: number, maxMi: number) => fc.oneof(
  fc.integer({ min: minMi, max: maxMi }).map((mi) => sizeGen(mi * MI)),
  fc.integer({ min: Math.ceil(minMi / 1024), max: Math.max(Math.ceil(minMi / 1024), Math.floor(maxMi / 1024)) }).map((gi) => sizeGen(gi * GI)),
  fc.integer({ min: minMi * 1024, max: maxMi * 1024 }).map((ki) => sizeGen(ki * 1024)));
const BAD_SIZES: Gen<Size>[] = [
  lazy(() => Size.kibibytes(0.5), 'Size.kibibytes(0.5)'), lazy(() => Size.mebibytes(0.3), 'Size.mebibytes(0.3)'),
  lazy(() => Size.kibibytes(NaN), 'Size.kibibytes(NaN)'), lazy(() => Size.gibibytes(Infinity), 'Size.gibibytes(Infinity)'),
  lazy(() => Size.gibibytes(2 ** 60), 'Size.gibibytes(2 ** 60)'), lazy(() => Size.gibibytes(2 ** 23), 'Size.gibibytes(2 ** 23)'),
  ok('512Mi' as unknown as Size), ok(512 as unknown as Size)];
export const badSize: fc.Arbitrary<Gen<Size>> = fc.constantFrom(...BAD_SIZES);

export function durationGen(seconds: number): Gen<Duration> {
  if (seconds > 0 && seconds % 3600 === 0) return lazy(() => Duration.hours(seconds / 3600), `Duration.hours(${seconds / 3600})`, seconds);
  if (seconds > 0 && seconds % 60 === 0) return lazy(() => Duration.minutes(seconds / 60), `Duration.minutes(${seconds / 60})`, seconds);
  return lazy(() => Duration.seconds(seconds), `Duration.seconds(${seconds})`, seconds);
}

/**
 * A Duration of whole seconds from `from` (default: `min`, the library's minimum) to `max`; invalid:
 * fractions of seconds, below `min`, wrong types.
 */
export function duration(prop: string, min: number, max: number, from: number = min): Field<Duration> {
  const invalid: Gen<Duration>[] = [
    lazy(() => Duration.millis(1500), 'Duration.millis(1500)'), lazy(() => Duration.seconds(1.5), 'Duration.seconds(1.5)'),
    lazy(() => Duration.seconds(NaN), 'Duration.seconds(NaN)'), ok(30 as unknown as Duration), ok('30s' as unknown as Duration),
    // More seconds than int32 holds.
    lazy(() => Duration.seconds(2 ** 31), 'Duration.seconds(2 ** 31)')];
  if (min > 0) invalid.push(durationGen(min - 1));
  return built(prop, fc.oneof(fc.integer({ min: from, max }), fc.constantFrom(from, 60, 300, 3600).filter((s) => s >= from && s <= max))
    .map(durationGen), fc.constantFrom(...invalid));
}

// ===================================================================================================
// Container resources

type ResourceName = 'cpu' | 'memory' | 'ephemeralStorage';

/** One resource's `{ request, limit }`, with the request no larger than the limit; data in millicores or bytes. */
function resourcePair(prop: string, resource: ResourceName): Field {
  const unit = resource === 'cpu' ? 1 : resource === 'memory' ? MI : GI;
  const maxLimit = resource === 'cpu' ? 8000 : resource === 'memory' ? 16384 : 100;
  const gen = (amount: number, units: boolean): Gen => (resource === 'cpu' ? cpuGen(amount, units) : sizeGen(amount));
  const pair = (request?: Gen, limit?: Gen): Gen => combine({ request: request ?? ok(undefined), limit: limit ?? ok(undefined) });
  const valid = fc.record({
    limit: fc.option(fc.integer({ min: 1, max: maxLimit }), { nil: undefined }),
    requestPercent: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
    units: fc.boolean(),
  }).map(({ limit, requestPercent, units }) => {
    const request = requestPercent === undefined ? undefined
      : limit !== undefined ? Math.floor((limit * requestPercent) / 100) : requestPercent * (resource === 'cpu' ? 40 : 10);
    return pair(request === undefined ? undefined : gen(request * unit, units), limit === undefined ? undefined : gen(limit * unit, units));
  });
  const p = `${prop}.${resource}`;
  const badLeaf: fc.Arbitrary<Gen> = resource === 'cpu' ? badCpu : badSize;
  const invalid = fc.oneof(
    // request > limit
    fc.tuple(fc.integer({ min: 1, max: maxLimit }), fc.integer({ min: 1, max: 1000 }), fc.boolean())
      .map(([limit, extra, units]) => bad(pair(gen((limit + extra) * unit, units), gen(limit * unit, units)), `${p}.request`)),
    fc.tuple(badLeaf, fc.option(fc.integer({ min: 1, max: maxLimit }), { nil: undefined }))
      .map(([b, limit]) => bad(pair(b as Gen, limit === undefined ? undefined : gen(limit * unit, false)), `${p}.request`)),
    fc.tuple(badLeaf).map(([b]) => bad(pair(undefined, b as Gen), `${p}.limit`)),
    // The amount itself instead of { request, limit }.
    fc.integer({ min: 1, max: maxLimit }).map((n) => bad(gen(n * unit, false), p)),
  );
  return { valid, invalid };
}

/** cdk8s-plus `ContainerResources`: data `{ cpu: { request, limit }, memory: ..., ephemeralStorage: ... }`. */
export function resources(prop: string): Field {
  const specs = {
    cpu: optional(resourcePair(prop, 'cpu'), 1, 3),
    memory: optional(resourcePair(prop, 'memory'), 1, 3),
    ephemeralStorage: optional(resourcePair(prop, 'ephemeralStorage'), 3, 1),
  };
  const n = nested(specs);
  return {
    valid: n.valid,
    invalid: fc.oneof({ weight: 6, arbitrary: n.invalid! },
      { weight: 1, arbitrary: fc.constant(bad(ok('2 CPU / 4Gi'), prop)) }),
  };
}

// ===================================================================================================
// JobPodPolicy

export interface ContainerModel { readonly cpu?: { request?: number; limit?: number }; readonly memory?: { request?: number; limit?: number } }
/** What the capacity oracle needs from a policy: one job's effective requests (millicores, bytes), its profile. */
export interface PolicyModel {
  readonly requests: { readonly cpu: number; readonly memory: number };
  readonly profile: string;
  readonly level: PodSecurityLevel;
  readonly broken: boolean;
}

const c = (cpuReq: number | undefined, cpuLim: number, memReq: number | undefined, memLim: number): ContainerModel => ({
  cpu: { request: cpuReq, limit: cpuLim }, memory: { request: memReq === undefined ? undefined : memReq * MI, limit: memLim * MI },
});
/** The library's presets, restated from its documentation: build, service, helper. `new` sets no resources. */
const PRESETS: { readonly [name: string]: readonly [ContainerModel, ContainerModel, ContainerModel] } = {
  default: [{}, {}, {}],
  small: [c(250, 1000, 256, 1024), c(250, 1000, 256, 1024), c(100, 250, 128, 256)],
  large: [c(1000, 4000, 1024, 4096), c(1000, 4000, 1024, 4096), c(250, 1000, 256, 1024)],
};

/** One job's requests as Kubernetes applies them: the request, else the limit, else nothing. */
export function policyRequests(preset: string, d: any): { cpu: number; memory: number } {
  const [build, service, helper] = PRESETS[preset];
  const containers: [ContainerModel, number][] = [
    [preset === 'default' && d.buildResources !== undefined ? d.buildResources : build, 1],
    [preset === 'default' && d.serviceResources !== undefined ? d.serviceResources : service, d.servicesPerJob ?? 1],
    [preset === 'default' && d.helperResources !== undefined ? d.helperResources : helper, 1],
  ];
  const sum = (r: 'cpu' | 'memory') => containers.reduce((total, [m, n]) => total + ((m?.[r]?.request ?? m?.[r]?.limit ?? 0) * n), 0);
  return { cpu: sum('cpu'), memory: sum('memory') };
}

/** `JobSecurityProfile`; data `{ name, level }`. */
export function securityProfile(prop: string): Field<JobSecurityProfile> {
  const profile = (name: string, level: PodSecurityLevel, make: () => JobSecurityProfile, show: string) => lazy(make, show, { name, level });
  const nonRoot = fc.record({
    runAsUser: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
    runAsGroup: fc.option(fc.integer({ min: 0, max: 65535 }), { nil: undefined }),
    fsGroup: fc.option(fc.integer({ min: 0, max: 65535 }), { nil: undefined }),
  }, { requiredKeys: [] });
  const valid = fc.oneof(
    fc.constant(profile('privileged', PodSecurityLevel.PRIVILEGED, () => JobSecurityProfile.privileged(), 'JobSecurityProfile.privileged()')),
    fc.constant(profile('root-builder', PodSecurityLevel.BASELINE, () => JobSecurityProfile.rootBuilder(), 'JobSecurityProfile.rootBuilder()')),
    nonRoot.map((o) => profile('non-root', PodSecurityLevel.BASELINE, () => JobSecurityProfile.nonRoot(o), `JobSecurityProfile.nonRoot(${fc.stringify(o)})`)),
  );
  const badNonRoot = (o: object, p: string, got: unknown) => bad(lazy(() => JobSecurityProfile.nonRoot(o),
    `JobSecurityProfile.nonRoot(${fc.stringify(o)})`), `${prop}.${p}`, gotOf(got));
  const invalid = fc.oneof(
    fc.constantFrom(0, -5, 1.5, NaN, '1000').map((u) => badNonRoot({ runAsUser: u }, 'runAsUser', u)),
    fc.constantFrom(-1, 2.5).map((g) => badNonRoot({ runAsGroup: g }, 'runAsGroup', g)),
    fc.constantFrom(-1, 0.5).map((g) => badNonRoot({ fsGroup: g }, 'fsGroup', g)),
    fc.constantFrom<unknown>('privileged', { name: 'privileged', privileged: true, podSecurityLevel: 'privileged' })
      .map((v) => bad(ok(v as JobSecurityProfile), prop)),
  );
  return { valid, invalid };
}

export function helperImage(prop: string): Field<HelperImage> {
  const flavors = Object.values(HelperImageFlavor);
  const archs = Object.values(CpuArchitecture);
  const opts = fc.record({ flavor: fc.constantFrom(...flavors), architecture: fc.constantFrom(...archs) }, { requiredKeys: [] })
    .filter((o) => !(o.flavor === HelperImageFlavor.UBI_FIPS && o.architecture !== undefined && o.architecture !== CpuArchitecture.X86_64));
  const valid = fc.oneof(
    opts.map((o) => lazy(() => HelperImage.official(o), `HelperImage.official(${fc.stringify(o)})`)),
    fc.tuple(registryHostValue, opts, fc.option(fc.constantFrom('gitlab/gitlab-runner-helper', 'mirror/helper'), { nil: undefined }))
      .map(([r, o, repository]) => {
        const options = repository === undefined ? o : { ...o, repository };
        return lazy(() => HelperImage.fromRegistry(r, options), `HelperImage.fromRegistry(${fc.stringify(r)}, ${fc.stringify(options)})`);
      }),
  );
  const invalid = fc.oneof(
    fc.constantFrom<unknown>('debian', 'ALPINE', 42).map((f) => bad(lazy(() => HelperImage.official({ flavor: f as HelperImageFlavor }),
      `HelperImage.official({ flavor: ${fc.stringify(f)} })`), `${prop}.flavor`, gotOf(f))),
    fc.constantFrom<unknown>('amd64', 'x86-64').map((a) => bad(lazy(() => HelperImage.official({ architecture: a as CpuArchitecture }),
      `HelperImage.official({ architecture: ${fc.stringify(a)} })`), `${prop}.architecture`, gotOf(a))),
    fc.constantFrom(CpuArchitecture.ARM64, CpuArchitecture.S390X).map((a) => bad(lazy(
      () => HelperImage.official({ flavor: HelperImageFlavor.UBI_FIPS, architecture: a }),
      `HelperImage.official({ flavor: 'ubi-fips', architecture: ${fc.stringify(a)} })`), `${prop}.architecture`, gotOf(a))),
    fc.constantFrom(...BAD_REGISTRIES.filter((r) => typeof r === 'string')).map((r) => bad(lazy(() => HelperImage.fromRegistry(r as string),
      `HelperImage.fromRegistry(${fc.stringify(r)})`), `${prop}.registry`, gotOf(r))),
    fc.constantFrom('Gitlab/Helper', 'helper:1.0', 'a//b').map((repository) => bad(lazy(() => HelperImage.fromRegistry('registry.example.com', { repository }),
      `HelperImage.fromRegistry('registry.example.com', { repository: ${fc.stringify(repository)} })`), prop)),
    fc.constant(bad(ok('registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:x86_64-v18.3.0' as unknown as HelperImage), prop)),
  );
  return { valid, invalid };
}

/** `JobPodPolicyOptions` (what the presets take). */
export function jobPodPolicyOptionFields(): { [key: string]: Field } {
  const pullPolicies = Object.values(PullPolicy);
  return {
    servicesPerJob: optional(int('servicesPerJob', 0, undefined, 3)),
    securityProfile: optional(securityProfile('securityProfile')),
    pullPolicy: optional(enumField('pullPolicy', pullPolicies)),
    allowedPullPolicies: optional(list('allowedPullPolicies', (p) => enumField(p, pullPolicies), { minLength: 1, maxLength: 3 })),
    helperImage: optional(helperImage('helperImage')),
    allowedImages: optional(list('allowedImages', (p) => nonEmpty(p, fc.oneof(pinnedImageValue, fc.constantFrom('alpine:*', 'registry.example.com/**/*'))),
      { minLength: 1, maxLength: 3 })),
    allowedServices: optional(list('allowedServices', (p) => nonEmpty(p, fc.constantFrom('docker:*-dind', 'postgres:16', '*')),
      { minLength: 1, maxLength: 2 })),
    pollTimeout: optional(duration('pollTimeout', 1, 3600)),
    pollInterval: optional(duration('pollInterval', 1, 60)),
    podLabels: optional(labelMap('podLabels')),
    podAnnotations: optional(podAnnotations('podAnnotations')),
    // The job pods' own settings (on RunnerManager before the policy took them).
    jobImage: optional(pinnedImage('jobImage')),
    imagePullSecrets: optional(secretList('imagePullSecrets', 'Jobs-')),
    jobServiceAccount: optional({
      valid: dnsSubdomainValue.map((n) => lazy((s) => ServiceAccount.fromServiceAccountName(s, 'JobSa', n),
        `ServiceAccount.fromServiceAccountName(chart, 'JobSa', ${fc.stringify(n)})`)),
      invalid: fc.constantFrom(...BAD_NAMES.filter((n) => typeof n === 'string')).map((n) => bad(lazy((s) =>
        ServiceAccount.fromServiceAccountName(s, 'JobSa', n as string), `ServiceAccount.fromServiceAccountName(chart, 'JobSa', ${fc.stringify(n)})`),
      'jobServiceAccount.name', gotOf(n))),
    }),
    jobServiceAccountOverwriteAllowed: optional(plain('jobServiceAccountOverwriteAllowed', fc.constantFrom('^ci-.*$', '^ci-\\d+$', '.*', '[a-z]+'),
      fc.constantFrom<unknown>('(', '', '[a-', '*', 42))),
    podTerminationGracePeriod: optional(duration('podTerminationGracePeriod', 0, 600)),
    jobCleanupTimeout: optional(duration('jobCleanupTimeout', 1, 3600)),
    hostAliases: optional(list('hostAliases', hostAlias, { maxLength: 2 })),
    volumes: optional(volumeList('volumes')),
    allowHostPathVolumes: optional(bool('allowHostPathVolumes')),
  };
}

/** Indices of the host path volumes in a policy's data. */
function hostPathVolumes(d: any): number[] {
  const volumes: any[] = Array.isArray(d.volumes) ? d.volumes : [];
  return volumes.map((v, i) => (v?.kind === 'hostPath' ? i : -1)).filter((i) => i >= 0);
}

/** A host path volume needs allowHostPathVolumes; without one, allowHostPathVolumes is not read (a warning). */
export function jobPodCross(d: any, broken: (key: string) => boolean): Cross {
  const hostPaths = hostPathVolumes(d);
  if (hostPaths.length === 0) return { waive: ['allowHostPathVolumes'] };
  if (d.allowHostPathVolumes !== true && !broken('allowHostPathVolumes')) return { faults: [{ at: '', prop: `volumes[${hostPaths[0]}]` }] };
  return {};
}

export function jobPodPolicyPropFields(): { [key: string]: Field } {
  return {
    buildResources: optional(resources('buildResources')),
    serviceResources: optional(resources('serviceResources')),
    helperResources: optional(resources('helperResources')),
    ...jobPodPolicyOptionFields(),
  };
}

const APPARMOR = 'container.apparmor.security.beta.kubernetes.io/';

/**
 * The model of a policy from its props' data (`preset`: default, small, large). Its level: the
 * profile's (`profile` when the consumer sets it), or privileged when a job volume is a host path or a
 * pod annotation relaxes AppArmor (baseline allows neither, only `runtime/default` and `localhost/*`).
 */
export function policyModel(preset: string, d: any, broken: boolean,
  profile: { name: string; level: PodSecurityLevel } = d.securityProfile ?? { name: 'root-builder', level: PodSecurityLevel.BASELINE }): PolicyModel {
  const relaxed = Object.entries(d.podAnnotations ?? {}).some(([key, value]) => key.startsWith(APPARMOR)
    && value !== 'runtime/default' && !(typeof value === 'string' && value.startsWith('localhost/')));
  const level = relaxed || hostPathVolumes(d).length > 0 ? PodSecurityLevel.PRIVILEGED : profile.level;
  return { requests: policyRequests(preset, d), profile: profile.name, level, broken };
}

/** Pod annotations, sometimes with an AppArmor annotation (relaxed ones move the jobs' namespace to privileged). */
function podAnnotations(prop: string): Field {
  const plainMap = annotationMap(prop);
  const apparmor = fc.record({
    container: fc.constantFrom('build', 'helper', 'svc-0'),
    value: fc.constantFrom('runtime/default', 'localhost/ci-profile', 'unconfined'),
  });
  return {
    valid: fc.oneof(
      { weight: 3, arbitrary: plainMap.valid },
      { weight: 1, arbitrary: fc.tuple(plainMap.valid, apparmor).map(([g, a]) => ok({ ...g.data, [`${APPARMOR}${a.container}`]: a.value })) }),
    invalid: fc.oneof(
      { weight: 4, arbitrary: plainMap.invalid! },
      { weight: 1, arbitrary: fc.constantFrom<unknown>(42, ['unconfined']).map((v) => bad(ok({ [`${APPARMOR}build`]: v }), prop, gotOf(v))) }),
  };
}

/**
 * A `JobPodPolicy` construct `id` in the run's chart (`new`, `small()` or `large()`), faults placed at `at`;
 * invalid ones have bad props, or are not a JobPodPolicy at all (a fault on the consumer's `prop`).
 * `mixed` is valid `validPercent` % of the time, for the policy's own property. Data: `PolicyModel`.
 */
export function jobPodPolicy(prop: string, at: string, id: string, validPercent = 50): Field<JobPodPolicy> & { mixed: fc.Arbitrary<Gen<JobPodPolicy>> } {
  const construct = (g: Gen, preset: string): Gen<JobPodPolicy> => {
    const show = preset === 'default' ? `new JobPodPolicy(chart, '${id}', ${g.show})` : `JobPodPolicy.${preset}(chart, '${id}', ${g.show})`;
    const make = (scope: Construct) => {
      const props = g.make(scope);
      if (preset === 'small') return JobPodPolicy.small(scope, id, props);
      if (preset === 'large') return JobPodPolicy.large(scope, id, props);
      return new JobPodPolicy(scope, id, props);
    };
    return stamp({ ...g, make, show, data: policyModel(preset, g.data, g.faults.length > 0) }, at);
  };
  const variants = (percent: number) => fc.oneof(
    { weight: 4, arbitrary: typos(record(jobPodPolicyPropFields(), { validPercent: percent, cross: jobPodCross }), percent, {})
      .map((g) => construct(g, 'default')) },
    { weight: 1, arbitrary: typos(record(jobPodPolicyOptionFields(), { validPercent: percent, cross: jobPodCross }), percent, { prefix: 'options.' })
      .map((g) => construct(g, 'small')) },
    { weight: 1, arbitrary: typos(record(jobPodPolicyOptionFields(), { validPercent: percent, cross: jobPodCross }), percent, { prefix: 'options.' })
      .map((g) => construct(g, 'large')) },
  );
  return {
    valid: variants(100),
    invalid: fc.oneof(
      { weight: 6, arbitrary: variants(0) },
      { weight: 1, arbitrary: fc.constant(bad(ok({ securityProfile: JobSecurityProfile.privileged() } as unknown as JobPodPolicy), prop)) }),
    mixed: variants(validPercent),
  };
}

/** Misspelled keys only where invalid records are asked for: a fully valid arbitrary stays valid. */
function typos(arb: fc.Arbitrary<Gen>, validPercent: number, options: TypoOptions): fc.Arbitrary<Gen> {
  return validPercent >= 100 ? arb : withTypo(arb, options);
}

// ===================================================================================================
// DnsStrategy (faults relative to the strategy: `nameservers[1]`; the consumer relocates them)

const searchValue = fc.oneof(dnsSubdomainValue, dnsSubdomainValue.map((s) => `${s}.`), fc.constantFrom('corp.example.com', 'svc.cluster.local'));

function dnsOptions(prop: string): Field {
  const option = (p: string): Field => ({
    valid: fc.oneof(
      fc.tuple(fc.constantFrom('ndots'), fc.integer({ min: 0, max: 15 })).map(([n, v]) => ({ name: n, value: String(v) })),
      fc.tuple(fc.constantFrom('timeout'), fc.integer({ min: 1, max: 30 })).map(([n, v]) => ({ name: n, value: String(v) })),
      fc.tuple(fc.constantFrom('attempts'), fc.integer({ min: 1, max: 5 })).map(([n, v]) => ({ name: n, value: String(v) })),
      fc.constantFrom('edns0', 'rotate', 'single-request', 'single-request-reopen', 'use-vc', 'no-tld-query', 'trust-ad').map((name) => ({ name })),
      fc.tuple(fc.constantFrom('debug', 'custom-opt'), fc.option(fc.constantFrom('1', 'on', 'x y'), { nil: undefined }))
        .map(([name, value]) => (value === undefined ? { name } : { name, value })),
    ).map((o) => ok(o, fc.stringify(o), o)),
    invalid: fc.oneof(
      fc.constantFrom<unknown>({ name: 'edns0', value: '1' }, { name: 'rotate', value: '' }).map((o) => bad(ok(o, fc.stringify(o), o), `${p}.value`)),
      fc.constantFrom<unknown>('16', '-1', 'two', '', '1.5', 2).map((v) => bad(ok({ name: 'ndots', value: v }, undefined, { name: 'ndots' }), `${p}.value`, gotOf(v))),
      fc.constantFrom<unknown>('0', '31').map((v) => bad(ok({ name: 'timeout', value: v }, undefined, { name: 'timeout' }), `${p}.value`, gotOf(v))),
      fc.constantFrom<unknown>('0', '6').map((v) => bad(ok({ name: 'attempts', value: v }, undefined, { name: 'attempts' }), `${p}.value`, gotOf(v))),
      fc.constantFrom<unknown>({ name: '' }, { name: '  ' }, { name: 42 }, null, {}).map((o) => bad(ok(o, undefined, {}), `${p}.name`)),
      fc.constant(bad(ok({ name: 'custom-opt', value: '' }, undefined, { name: 'custom-opt' }), `${p}.value`)),
    ),
  });
  return list(prop, option, {
    maxLength: 4,
    // The name is checked (non-empty, then not repeated) before the value, so a bad value does not hide a repeat.
    cross: (data) => {
      const i = firstDuplicate(data.map((o, j) => (typeof o?.name === 'string' && o.name.trim() !== '' ? o.name : `#none${j}`)));
      return i >= 0 ? { faults: [{ at: '', prop: `${prop}[${i}].name` }] } : {};
    },
    invalid: [fc.constant(bad(ok('ndots:2' as unknown), prop))],
  });
}

function nameserverList(prop: string, max: number, what: string): Field {
  return list(prop, (p) => ip(p), {
    minLength: 1,
    maxLength: max,
    cross: (data, broken) => {
      const i = firstDuplicate(data.map((d, j) => (broken(j) ? `#broken${j}` : d)));
      return i >= 0 ? { faults: [{ at: '', prop: `${prop}[${i}]` }] } : {};
    },
    invalid: [
      fc.constant(bad(ok([] as string[]), prop)),
      fc.uniqueArray(fc.ipV4(), { minLength: max + 1, maxLength: max + 2 }).map((a) => bad(ok(a), prop)),
      fc.constant(bad(ok(`10.0.0.2 ${what}` as unknown), prop)),
    ],
  });
}

function searchList(prop: string): Field {
  const long = (n: number, len: number) => Array.from({ length: n }, (_, i) => `${'s'.repeat(len - 12)}${String(i).padStart(2, '0')}.example.com`);
  return list(prop, (p) => plain(p, searchValue, fc.constantFrom<unknown>('corp example.com', '-a.example.com', 'a..b', 'Bad_Domain', '', 42), false), {
    maxLength: 4,
    invalid: [
      fc.constant(bad(ok(long(33, 20)), prop)),
      fc.constant(bad(ok(long(9, 230)), prop)),
      fc.constant(bad(ok('corp.example.com' as unknown), prop)),
    ],
  });
}

const clusterDomain = optional(dnsSubdomain('clusterDomain', fc.constantFrom('cluster.local', 'corp.internal', 'k8s.example.com')), 2, 1);

export type DnsKind = 'internal' | 'publicCloud' | 'hybrid' | 'clusterDefault';
export const DNS_KINDS: readonly DnsKind[] = ['internal', 'publicCloud', 'hybrid', 'clusterDefault'];

/** The upstreams of `publicCloud()`. */
export function upstreamList(prop: string): Field {
  return list(prop, (p) => ip(p), {
    minLength: 1,
    maxLength: 4,
    cross: (data, broken) => {
      const i = firstDuplicate(data.map((d, j) => (broken(j) ? `#broken${j}` : d)));
      return i >= 0 ? { faults: [{ at: '', prop: `${prop}[${i}]` }] } : {};
    },
    invalid: [
      fc.constant(bad(ok([] as string[]), prop)),
      fc.uniqueArray(fc.ipV4(), { minLength: 16, maxLength: 16 }).map((a) => bad(ok(a), prop)),
      fc.constant(bad(ok('8.8.8.8' as unknown), prop)),
      fc.constant(bad(ok(8 as unknown), prop)),
    ],
  });
}

/** The argument of a `DnsStrategy` factory (faults relative to the strategy); data: the options' data and `kind`. */
export function dnsStrategyOptions(kind: DnsKind, validPercent: number): fc.Arbitrary<Gen> {
  let options: fc.Arbitrary<Gen>;
  switch (kind) {
    case 'internal':
      options = record({
        // Required: the nameservers of a network have no default.
        nameservers: nameserverList('nameservers', 3, 'as one string'),
        searches: optional(searchList('searches')),
        options: optional(dnsOptions('options')),
        clusterDomain,
      }, { validPercent });
      break;
    case 'publicCloud':
      options = record({ upstreams: upstreamList('upstreams'), clusterDomain }, { validPercent });
      break;
    case 'hybrid':
      options = record({
        // Required, so mostly addresses a Service CIDR of the stacks' serviceCidr holds (kubeadm's, the seeds'), else random.
        clusterDnsIp: { valid: fc.oneof({ weight: 3, arbitrary: fc.constantFrom('10.96.0.10', '172.21.0.10').map((v) => ok(v)) },
          { weight: 1, arbitrary: ip('clusterDnsIp').valid }), invalid: ip('clusterDnsIp').invalid },
        vpcDnsIp: ip('vpcDnsIp'),
        publicDnsIp: ip('publicDnsIp'),
        searches: optional(searchList('searches')),
        options: optional(dnsOptions('options')),
        clusterDomain,
      }, {
        validPercent,
        cross: (d, broken) => {
          const props = ['clusterDnsIp', 'vpcDnsIp', 'publicDnsIp'];
          const ips = [d.clusterDnsIp, d.vpcDnsIp, d.publicDnsIp];
          const i = firstDuplicate(ips.map((x, j) => (broken(props[j]) ? `#broken${j}` : x)));
          return i >= 0 ? { faults: [{ at: '', prop: props[i] }] } : {};
        },
      });
      break;
    default:
      options = record({ clusterDomain }, { validPercent });
  }
  return options.map((g) => ({ ...g, data: { ...g.data, kind } }));
}

const FACTORIES: { readonly [kind in DnsKind]: (o: any) => DnsStrategy } = {
  internal: (o) => DnsStrategy.internal(o),
  publicCloud: (o) => DnsStrategy.publicCloud(o),
  hybrid: (o) => DnsStrategy.hybrid(o),
  clusterDefault: (o) => DnsStrategy.clusterDefault(o),
};

/** A `DnsStrategy` (faults relative to the strategy), each kind with weight 1 unless `weights` says otherwise; data `{ kind, ... }`. */
export function dnsStrategy(validPercent = 50, weights: { readonly [kind in DnsKind]?: number } = {}): fc.Arbitrary<Gen<DnsStrategy>> {
  return fc.oneof(...DNS_KINDS.map((kind) => ({
    weight: weights[kind] ?? 1,
    arbitrary: dnsStrategyOptions(kind, validPercent).map((g): Gen<DnsStrategy> => ({
      ...g, make: (scope) => FACTORIES[kind](g.make(scope)), show: `DnsStrategy.${kind}(${g.show === '{  }' ? '' : g.show})`,
    })),
  })));
}

/**
 * The strategy as a prop of a consumer: a bad strategy fails in its factory (`DnsStrategy.<kind>`,
 * props as the factory names them); or the prop is not a DnsStrategy at all (at `at`, under `prop`).
 */
export function dnsStrategyField(prop: string, at: string): Field<DnsStrategy> {
  const atFactory = (g: Gen<DnsStrategy>) => stamp(g, `DnsStrategy.${(g.data as { kind: DnsKind }).kind}`);
  return {
    valid: dnsStrategy(100).map(atFactory),
    invalid: fc.oneof(
      { weight: 8, arbitrary: dnsStrategy(0).map(atFactory) },
      { weight: 1, arbitrary: fc.constant(stamp(bad(ok({ kind: 'internal', nameservers: ['10.0.0.2'] } as unknown as DnsStrategy), prop), at)) }),
  };
}

/** Host names for `lookupCost()`, valid and invalid; data: whether valid. */
export const lookupHost: fc.Arbitrary<Gen<string>> = fc.oneof(
  fc.oneof(dnsSubdomainValue, dnsSubdomainValue.map((s) => `${s}.`), fc.constantFrom('pypi.org', 'PyPI.org', 'gitlab', 'registry.example.com.',
    'kubernetes.default.svc.cluster.local', 'a.b.c.d.e.f')).map((h) => ok(h, fc.stringify(h), true)),
  fc.constantFrom<unknown>('https://pypi.org', 'a b', '', '.', 'ü.example', '-x.com', 'x..y', 'x'.repeat(254), 42, undefined)
    .map((h) => bad(ok(h as string, fc.stringify(h), false), 'host')),
);

/** Options of `lookupCost()`. */
export const lookupOptions: Field = nested({
  resolver: optional(enumField('resolver', Object.values(DnsResolver))),
  namespace: optional(dnsLabel('namespace')),
});

// ===================================================================================================
// CiNodePool

const TAINT_EFFECTS = Object.values(TaintEffect);

function taint(prop: string): Field {
  const valid = fc.record({ key: labelKeyValue, value: fc.option(labelValueValue, { nil: undefined }), effect: fc.constantFrom(...TAINT_EFFECTS) })
    .map((t) => ok(t.value === undefined ? { key: t.key, effect: t.effect } : t));
  const invalid = fc.oneof(
    fc.constantFrom(...BAD_LABEL_KEYS).map((k) => bad(ok({ key: k, effect: TaintEffect.NO_SCHEDULE }), `${prop}.key`, describeValue(k))),
    fc.constantFrom(...BAD_LABEL_VALUES).map((v) => bad(ok({ key: 'workload', value: v, effect: TaintEffect.NO_SCHEDULE }), prop, gotOf(v))),
    fc.constantFrom<unknown>('Sometimes', 'noschedule', '').map((e) => bad(ok({ key: 'workload', value: 'ci', effect: e }), `${prop}.effect`, gotOf(e))),
    fc.constant(bad(ok({ key: 'workload', value: 'ci' }), `${prop}.effect`)),
    fc.constant(bad(ok({ key: 'workload', effect: TaintEffect.NO_EXECUTE, tolerationSeconds: 30 }), `${prop}.tolerationSeconds`)),
    fc.constant(bad(ok(null), `${prop}.effect`)),
  );
  return { valid, invalid };
}

function nodeRequirement(prop: string): Field {
  const ops = NodeAffinityOperator;
  const valid = fc.oneof(
    fc.tuple(labelKeyValue, fc.constantFrom(ops.IN, ops.NOT_IN), fc.array(labelName, { minLength: 1, maxLength: 3 }))
      .map(([key, operator, values]) => ({ key, operator, values })),
    fc.tuple(labelKeyValue, fc.constantFrom(ops.EXISTS, ops.DOES_NOT_EXIST), fc.boolean())
      .map(([key, operator, empty]) => (empty ? { key, operator, values: [] } : { key, operator })),
    fc.tuple(labelKeyValue, fc.constantFrom(ops.GT, ops.LT), fc.integer({ min: -100, max: 1000 }))
      .map(([key, operator, n]) => ({ key, operator, values: [String(n)] })),
  ).map((r) => ok(r));
  const invalid = fc.oneof(
    fc.constantFrom(...BAD_LABEL_KEYS).map((key) => bad(ok({ key, operator: ops.EXISTS }), `${prop}.key`, describeValue(key))),
    fc.constantFrom<unknown>('Maybe', 'in', '').map((operator) => bad(ok({ key: 'zone', operator, values: ['a'] }), `${prop}.operator`, gotOf(operator))),
    fc.constant(bad(ok({ key: 'zone', operator: ops.EXISTS, values: ['a'] }), `${prop}.values`)),
    fc.constantFrom(['x'], ['1', '2'], [], ['1.5']).map((values) => bad(ok({ key: 'cpu-count', operator: ops.GT, values }), `${prop}.values`)),
    fc.constantFrom<unknown>([], undefined).map((values) => bad(ok({ key: 'zone', operator: ops.IN, values }), `${prop}.values`)),
    fc.constant(bad(ok(null), `${prop}.key`)),
  );
  return { valid, invalid };
}

function preferredTerm(prop: string): Field {
  return withInvalid(nested({
    weight: int(`${prop}.weight`, 1, 100),
    // A preference without requirements would prefer nothing: at least one.
    requirements: list(`${prop}.requirements`, nodeRequirement, { minLength: 1, maxLength: 2 }),
  }), fc.constantFrom<unknown>(undefined, 'zone', [])
    .map((requirements) => bad(ok(requirements === undefined ? { weight: 50 } : { weight: 50, requirements }), `${prop}.requirements`)));
}

function prePullImage(prop: string): Field {
  const valid = fc.record({ image: pinnedImageValue, command: fc.constantFrom(undefined, ['sh', '-c', 'exit 0'], ['/busybox/true'], ['true']) })
    .map((p) => ok(p.command === undefined ? { image: p.image } : p));
  const invalid = fc.oneof(
    fc.constantFrom(...UNPINNED).map((image) => bad(ok({ image }), `${prop}.image`, gotOf(image))),
    fc.constantFrom<unknown>([], 'exit 0').map((command) => bad(ok({ image: 'alpine:3.22', command }), `${prop}.command`)),
    fc.constantFrom<unknown>([42], ['']).map((command) => bad(ok({ image: 'alpine:3.22', command }), `${prop}.command`)),
    fc.constant(bad(ok(null), `${prop}.image`)),
  );
  return { valid, invalid };
}

/** Pool size data for the capacity oracle. */
export interface PoolSize { readonly nodes: number; readonly cpu: number; readonly memory: number; readonly percent: number }
export interface PoolModel { readonly size?: PoolSize; readonly namespace: string; readonly broken: boolean }

export function ciNodePoolFields(): { [key: string]: Field } {
  return {
    nodeLabels: optional(labelMap('nodeLabels')),
    taints: optional(list('taints', taint, {
      maxLength: 3,
      cross: (data, broken) => {
        // One effect per "key[=value]": the runner's node_tolerations is a map.
        const seen = new Map<string, string>();
        for (let i = 0; i < data.length; i++) {
          if (broken(i)) continue;
          const t = data[i];
          const key = t.value ? `${t.key}=${t.value}` : t.key;
          if (seen.has(key) && seen.get(key) !== (t.effect ?? '')) return { faults: [{ at: '', prop: `taints[${i}]` }] };
          seen.set(key, t.effect ?? '');
        }
        return {};
      },
      invalid: [fc.constant(bad(ok({ key: 'workload', effect: 'NoSchedule' } as unknown), 'taints'))],
    })),
    requiredNodeAffinity: optional(list('requiredNodeAffinity', nodeRequirement, { maxLength: 3 })),
    preferredNodeAffinity: optional(list('preferredNodeAffinity', preferredTerm, { maxLength: 2 })),
    priorityClassName: optional(dnsSubdomain('priorityClassName')),
    priority: optional(int('priority', -2147483648, 1000000000, 1000000000)),
    // Mostly true: false makes priority (and the pre-puller's props) an error, which would leave few valid pools.
    createPriorityClass: optional(mostly('createPriorityClass', true)),
    prePull: optional(mostly('prePull', true)),
    prePullImages: optional(list('prePullImages', prePullImage, { maxLength: 3 })),
    namespace: optional(dnsLabel('namespace')),
    pauseImage: optional(pinnedImage('pauseImage')),
    imagePullSecrets: optional(secretList('imagePullSecrets', 'Pool-')),
    '...capacity': poolCapacity(),
  };
}

/**
 * `nodes`, `nodeCpu`, `nodeMemory` and `allocatableFraction`, which go together (spread into the pool's
 * props): all three sizes or none; the fraction alone is not read. Data in millicores and bytes.
 */
function poolCapacity(): Field {
  const nodes = fc.integer({ min: 1, max: 6 });
  const cpu = cpuOf(500, 32000);
  const memory = sizeOf(512, 128 * 1024);
  const fraction = fc.option(fc.constantFrom(0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1), { nil: undefined });
  const sized = (n: Gen, c: Gen, m: Gen, f: Gen = ok(undefined)) => combine({ nodes: n, nodeCpu: c, nodeMemory: m, allocatableFraction: f });
  const intField = int('nodes', 1);
  const valid = fc.oneof(
    { weight: 2, arbitrary: fc.constant(ok(undefined)) },
    { weight: 5, arbitrary: fc.tuple(nodes, cpu, memory, fraction).map(([n, c, m, f]) => sized(ok(n), c, m, ok(f))) },
  );
  const invalid = fc.oneof(
    // A partial size, with memory in whole mebibytes unless the known bug is included (its message needs MiB).
    fc.tuple(nodes, cpu, memory, fc.integer({ min: 0, max: 5 }))
      .map(([n, c, m, drop]) => {
      const parts: { [key: string]: Gen } = { nodes: ok(n), nodeCpu: c, nodeMemory: m };
      for (const [i, k] of ['nodes', 'nodeCpu', 'nodeMemory'].entries()) if (drop === i || drop === i + 3 || (drop === 5 && i === 0)) delete parts[k];
      return bad(combine(parts), 'nodes');
    }),
    fc.tuple(intField.invalid!, cpu, memory).map(([n, c, m]) => sized(n, c, m)),
    fc.tuple(nodes, fc.oneof(badCpu, fc.constant(cpuGen(0, true))), memory).map(([n, c, m]) => sized(ok(n), bad(c, 'nodeCpu'), m)),
    fc.tuple(nodes, cpu, fc.oneof(badSize, fc.constant(sizeGen(0)))).map(([n, c, m]) => sized(ok(n), c, bad(m, 'nodeMemory'))),
    // The fraction alone: it only scales a capacity that needs the size.
    fc.constantFrom(0.5, 0.8, 1).map((f) => bad(combine({ allocatableFraction: ok(f) }), 'allocatableFraction', gotOf(f))),
    fc.tuple(nodes, cpu, memory, fc.constantFrom<unknown>(0, -0.1, 1.5, NaN, Infinity, '0.8'))
      .map(([n, c, m, f]) => sized(ok(n), c, m, bad(ok(f), 'allocatableFraction', gotOf(f)))),
  );
  return { valid, invalid };
}

/** What only the pre-puller or the PriorityClass reads has no effect without them: an error. */
function ciNodePoolCross(d: any, broken: (key: string) => boolean): Cross {
  const faults: Fault[] = [];
  if (d.prePull === false && !broken('prePull')) {
    faults.push(...['prePullImages', 'pauseImage', 'imagePullSecrets'].filter((k) => d[k] !== undefined).map((prop) => ({ at: '', prop })));
  }
  if (d.createPriorityClass === false && !broken('createPriorityClass') && d.priority !== undefined) faults.push({ at: '', prop: 'priority' });
  return { faults };
}

function poolModel(d: any, broken: boolean): PoolModel {
  const sized = d.nodes !== undefined && d.nodeCpu !== undefined && d.nodeMemory !== undefined;
  return {
    size: sized ? { nodes: d.nodes, cpu: d.nodeCpu, memory: d.nodeMemory, percent: Math.round((d.allocatableFraction ?? 0.8) * 100) } : undefined,
    namespace: d.namespace ?? 'gitlab-runner-jobs',
    broken,
  };
}

/** A `CiNodePool` construct `id` in the run's chart; data: `PoolModel`. */
export function ciNodePool(prop: string, at: string, id: string, validPercent = 50): Field<CiNodePool> & { mixed: fc.Arbitrary<Gen<CiNodePool>> } {
  const construct = (g: Gen): Gen<CiNodePool> => stamp({
    ...g,
    make: (scope: Construct) => new CiNodePool(scope, id, g.make(scope)),
    show: `new CiNodePool(chart, '${id}', ${g.show})`,
    data: poolModel(g.data, g.faults.length > 0),
  }, at);
  const variants = (percent: number) => typos(record(ciNodePoolFields(), { validPercent: percent, cross: ciNodePoolCross }), percent, {}).map(construct);
  return {
    valid: variants(100),
    invalid: fc.oneof(
      { weight: 6, arbitrary: variants(0) },
      { weight: 1, arbitrary: fc.constant(bad(ok({ namespace: 'ci', nodeLabels: { workload: 'ci' } } as unknown as CiNodePool), prop)) }),
    mixed: variants(validPercent),
  };
}

// ===================================================================================================
// Secrets, volumes, cache, tolerations, host aliases (RunnerManager's supporting types)

/** A Secret reference built in the run's chart (construct id from `idPrefix` and `prop`). */
export function secretRef(prop: string, idPrefix = ''): Field {
  const id = idOf(`${idPrefix}${prop}`);
  const ref = (name: unknown) => lazy((scope) => Secret.fromSecretName(scope, id, name as string),
    `Secret.fromSecretName(chart, '${id}', ${fc.stringify(name)})`, name);
  return {
    valid: dnsSubdomainValue.map(ref),
    invalid: fc.constantFrom(...BAD_NAMES, 'a..b').map((n) => bad(ref(n), `${prop}.name`, gotOf(n))),
  };
}

function secretList(prop: string, idPrefix: string): Field {
  return list(prop, (p) => withInvalid(secretRef(p, idPrefix), fc.constant(bad(ok(null), `${p}.name`, 'undefined'))), { maxLength: 3 });
}

function jobVolume(prop: string, index: number): Field {
  const mount = fc.record({
    mountPath: fc.constantFrom('/cache', '/var/lib/data', '/certs', '/mnt/x y'),
    subPath: fc.option(fc.constantFrom('sub', 'a/b'), { nil: undefined }),
    readOnly: fc.option(fc.boolean(), { nil: undefined }),
  }, { requiredKeys: ['mountPath'] });
  const name = dnsLabelValue;
  const vol = (kind: string, make: (scope: Construct) => JobVolume, show: string, volName: unknown) => lazy(make, show, { kind, name: volName });
  const ref = (kind: string, n: unknown, o: object) => {
    const id = `${idOf(prop)}-${kind}`;
    switch (kind) {
      case 'secret': return vol(kind, (s) => JobVolume.secret(Secret.fromSecretName(s, id, n as string), o as any),
        `JobVolume.secret(Secret.fromSecretName(chart, '${id}', ${fc.stringify(n)}), ${fc.stringify(o)})`, n);
      case 'configMap': return vol(kind, (s) => JobVolume.configMap(ConfigMap.fromConfigMapName(s, id, n as string), o as any),
        `JobVolume.configMap(ConfigMap.fromConfigMapName(chart, '${id}', ${fc.stringify(n)}), ${fc.stringify(o)})`, n);
      default: return vol(kind, (s) => JobVolume.pvc(PersistentVolumeClaim.fromClaimName(s, id, n as string), o as any),
        `JobVolume.pvc(PersistentVolumeClaim.fromClaimName(chart, '${id}', ${fc.stringify(n)}), ${fc.stringify(o)})`, n);
    }
  };
  const emptyDir = (n: unknown, o: object) => vol('emptyDir', () => JobVolume.emptyDir(n as string, o as any),
    `JobVolume.emptyDir(${fc.stringify(n)}, ${fc.stringify(o)})`, n);
  const hostPath = (n: unknown, p: unknown, o: object) => vol('hostPath', () => JobVolume.hostPath(n as string, p as string, o as any),
    `JobVolume.hostPath(${fc.stringify(n)}, ${fc.stringify(p)}, ${fc.stringify(o)})`, n);
  const emptyDirValid = fc.tuple(name, mount, fc.option(fc.constantFrom(EmptyDirMedium.DEFAULT, EmptyDirMedium.MEMORY), { nil: undefined }),
    fc.option(sizeOf(1, 4096), { nil: undefined })).map(([n, m, medium, size]) => {
    // An emptyDir has no read-only mount: readOnly there is an error.
    const { readOnly: _readOnly, ...mountOnly } = m;
    const options = { ...mountOnly, ...(medium === undefined ? {} : { medium }) };
    if (size === undefined) return emptyDir(n, options);
    return { ...vol('emptyDir', () => JobVolume.emptyDir(n, { ...options, sizeLimit: size.make(undefined as unknown as Construct) }),
      `JobVolume.emptyDir(${fc.stringify(n)}, { ...${fc.stringify(options)}, sizeLimit: ${size.show} })`, n) };
  });
  const items = fc.option(fc.constantFrom({ 'ca.crt': 'certs/ca.crt' }, { token: 'token' }), { nil: undefined });
  const keyedValid = fc.tuple(fc.constantFrom('secret', 'configMap', 'pvc'), dnsSubdomainValue, mount, items)
    .map(([kind, n, m, it]) => ref(kind, n, kind !== 'pvc' && it ? { ...m, items: it } : m));
  const valid = fc.oneof({ weight: 3, arbitrary: emptyDirValid }, { weight: 3, arbitrary: keyedValid },
    { weight: 1, arbitrary: fc.tuple(name, fc.constantFrom('/var/run/docker.sock', '/etc/localtime'), mount).map(([n, p, m]) => hostPath(n, p, m)) });
  const invalid = fc.oneof(
    fc.constantFrom(...BAD_NAMES).map((n) => bad(emptyDir(n, { mountPath: '/cache' }), `${prop}.name`, gotOf(n))),
    fc.tuple(fc.constantFrom('secret', 'configMap', 'pvc'), fc.constantFrom('Bad_Name', '', 'a b'))
      .map(([kind, n]) => bad(ref(kind, n, { mountPath: '/x' }), `${prop}.name`, gotOf(n))),
    fc.constantFrom<unknown>('cache', '', 'relative/path', undefined, 42)
      .map((p) => bad(emptyDir(`vol${index}`, { mountPath: p }), `${prop}.mountPath`, gotOf(p))),
    fc.constantFrom<unknown>('var/run', '', 42).map((p) => bad(hostPath(`host${index}`, p, { mountPath: '/h' }), `${prop}.hostPath`)),
    badSize.map((s) => bad(vol('emptyDir', () => JobVolume.emptyDir(`sized${index}`, { mountPath: '/s', sizeLimit: s.make(undefined as unknown as Construct) }),
      `JobVolume.emptyDir('sized${index}', { mountPath: '/s', sizeLimit: ${s.show} })`, `sized${index}`), `${prop}.sizeLimit`)),
    fc.constantFrom<unknown>('Tmpfs', 'memory', 42)
      .map((medium) => bad(emptyDir(`mem${index}`, { mountPath: '/m', medium }), `${prop}.medium`)),
    fc.constant(bad(ok({ name: 'cache', mountPath: '/cache' }), prop)),
    fc.boolean().map((ro) => bad(emptyDir(`ro${index}`, { mountPath: '/ro', readOnly: ro }), `${prop}.readOnly`)),
  );
  return { valid, invalid };
}

function volumeList(prop: string): Field {
  return list(prop, jobVolume, {
    maxLength: 3,
    cross: (data, broken) => {
      const i = firstDuplicate(data.map((v, j) => (broken(j) ? `#broken${j}` : v?.name)));
      return i >= 0 ? { faults: [{ at: '', prop: `${prop}[${i}].name` }] } : {};
    },
  });
}

function runnerCache(prop: string): Field<RunnerCache> {
  const common = {
    path: fc.option(fc.constantFrom('runner', 'cache/{{ x }}', 'a b'), { nil: undefined }),
    shared: fc.option(fc.boolean(), { nil: undefined }),
    maxUploadedArchiveSize: fc.option(sizeOf(1, 10240), { nil: undefined }),
  };
  const credName = fc.option(dnsSubdomainValue, { nil: undefined });
  const cache = (factory: string, options: any, credentials: unknown, data?: unknown): Gen<RunnerCache> => {
    const { maxUploadedArchiveSize, ...rest } = options;
    const size: Gen | undefined = maxUploadedArchiveSize;
    const shown = { ...rest };
    const parts = [fc.stringify(shown).slice(1, -1)];
    if (size) parts.push(`maxUploadedArchiveSize: ${size.show}`);
    if (credentials !== undefined) parts.push(`credentials: Secret.fromSecretName(chart, 'CacheCredentials', ${fc.stringify(credentials)})`);
    return lazy((scope) => {
      const o: any = { ...rest };
      if (size) o.maxUploadedArchiveSize = size.make(scope);
      if (credentials !== undefined) o.credentials = Secret.fromSecretName(scope, 'CacheCredentials', credentials as string);
      return factory === 's3' ? RunnerCache.s3(o) : factory === 'gcs' ? RunnerCache.gcs(o) : RunnerCache.azure(o);
    }, `RunnerCache.${factory}({ ${parts.filter((p) => p).join(', ')} })`, data ?? { type: factory, serverAddress: rest.serverAddress });
  };
  const dropUndefined = (o: object) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  const s3 = fc.record({
    bucketName: fc.constantFrom('gitlab-runner-cache', 'ci.cache', 'b'),
    serverAddress: fc.option(fc.constantFrom('s3.amazonaws.com', 'minio.example.com:9000'), { nil: undefined }),
    bucketLocation: fc.option(fc.constantFrom('us-east-1', 'eu-central-1'), { nil: undefined }),
    insecure: fc.option(fc.boolean(), { nil: undefined }),
    serverSideEncryption: fc.option(fc.constantFrom('S3', 'AES256', 'KMS', 'aws:kms', 'DSSE-KMS', 'aws:kms:dsse'), { nil: undefined }),
    serverSideEncryptionKeyId: fc.option(fc.constantFrom('alias/ci', 'arn:aws:kms:us-east-1:1:key/x'), { nil: undefined }),
    pathStyle: fc.option(fc.boolean(), { nil: undefined }),
    ...common,
  });
  // A KMS key is read only with KMS encryption.
  const kms = (o: any) => (o.serverSideEncryptionKeyId !== undefined && !/kms/i.test(o.serverSideEncryption ?? '')
    ? { ...o, serverSideEncryption: 'aws:kms' } : o);
  const valid = fc.oneof(
    fc.tuple(s3, credName).map(([o, cred]) => cache('s3', dropUndefined(kms(o)), cred)),
    fc.tuple(fc.record({ bucketName: fc.constantFrom('gcs-cache', 'x'), ...common }), credName).map(([o, cred]) => cache('gcs', dropUndefined(o), cred)),
    fc.tuple(fc.record({ containerName: fc.constantFrom('runner-cache', 'c'), storageDomain: fc.option(fc.constantFrom('blob.core.chinacloudapi.cn'), { nil: undefined }),
      ...common }), dnsSubdomainValue).map(([o, cred]) => cache('azure', dropUndefined(o), cred)),
  );
  const invalid = fc.oneof(
    fc.constantFrom<unknown>('', '  ', 42).map((b) => bad(cache('s3', { bucketName: b }, undefined), `${prop}.bucketName`, gotOf(b))),
    fc.constantFrom<unknown>('', 42).map((b) => bad(cache('gcs', { bucketName: b }, undefined), `${prop}.bucketName`, gotOf(b))),
    fc.constantFrom<unknown>('', 42).map((b) => bad(cache('azure', { containerName: b }, 'azure-keys'), `${prop}.containerName`, gotOf(b))),
    fc.constantFrom<unknown>('https://minio.example.com', 'http://s3', '  ', 9000)
      .map((a) => bad(cache('s3', { bucketName: 'c', serverAddress: a }, undefined), `${prop}.serverAddress`, gotOf(a))),
    fc.constantFrom<unknown>('aes256', 'SSE', '').map((e) => bad(cache('s3', { bucketName: 'c', serverSideEncryption: e }, undefined),
      `${prop}.serverSideEncryption`, gotOf(e))),
    fc.constant(bad(cache('azure', { containerName: 'c' }, undefined), `${prop}.credentials`)),
    fc.constantFrom(undefined, 'S3', 'AES256').map((e) => bad(cache('s3', { bucketName: 'c', serverSideEncryptionKeyId: 'alias/ci',
      ...(e === undefined ? {} : { serverSideEncryption: e }) }, undefined), `${prop}.serverSideEncryptionKeyId`)),
    fc.constantFrom('Bad_Secret', '').map((n) => bad(cache('s3', { bucketName: 'c' }, n), `${prop}.credentials`, gotOf(n))),
    badSize.map((s) => bad(cache('gcs', { bucketName: 'c', maxUploadedArchiveSize: s }, undefined), `${prop}.maxUploadedArchiveSize`)),
    fc.constantFrom<unknown>('yes', 1).map((v) => bad(cache('s3', { bucketName: 'c', shared: v }, undefined), `${prop}.shared`)),
    fc.constantFrom<unknown>('false', 0).map((v) => bad(cache('s3', { bucketName: 'c', insecure: v }, undefined), `${prop}.insecure`)),
    fc.constantFrom<unknown>(42, ['a']).map((v) => bad(cache('s3', { bucketName: 'c', path: v }, undefined), `${prop}.path`)),
    fc.constant(bad(ok({ type: 's3', bucketName: 'c' } as unknown as RunnerCache), prop)),
  );
  return { valid, invalid };
}

function managerToleration(prop: string): Field {
  const valid = fc.oneof(
    fc.record({ key: labelKeyValue, value: fc.option(labelValueValue, { nil: undefined }),
      effect: fc.option(fc.constantFrom(TaintEffect.NO_SCHEDULE, TaintEffect.PREFER_NO_SCHEDULE), { nil: undefined }) }),
    fc.record({ key: labelKeyValue, value: fc.option(labelValueValue, { nil: undefined }), effect: fc.constant(TaintEffect.NO_EXECUTE),
      tolerationSeconds: fc.option(fc.integer({ min: 0, max: 86400 }), { nil: undefined }) }),
  ).map((t) => ok(Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined))));
  const invalid = fc.oneof(
    fc.constantFrom(...BAD_LABEL_KEYS).map((key) => bad(ok({ key }), `${prop}.key`, describeValue(key))),
    fc.constantFrom(...BAD_LABEL_VALUES).map((value) => bad(ok({ key: 'dedicated', value }), prop, gotOf(value))),
    fc.constantFrom<unknown>('Sometimes', 'noexecute').map((effect) => bad(ok({ key: 'dedicated', effect }), `${prop}.effect`, gotOf(effect))),
    fc.constantFrom<unknown>(-1, 1.5, '30').map((s) => bad(ok({ key: 'dedicated', effect: TaintEffect.NO_EXECUTE, tolerationSeconds: s }),
      `${prop}.tolerationSeconds`, gotOf(s))),
    fc.constant(bad(ok({ key: 'dedicated', effect: TaintEffect.NO_SCHEDULE, tolerationSeconds: 30 }), `${prop}.tolerationSeconds`, '30')),
    fc.constant(bad(ok(null), `${prop}.key`)),
  );
  return { valid, invalid };
}

function hostAlias(prop: string): Field {
  return withInvalid(nested({
    ip: ip(`${prop}.ip`),
    hostnames: list(`${prop}.hostnames`, (p) => dnsSubdomain(p), {
      minLength: 1,
      maxLength: 3,
      invalid: [fc.constant(bad(ok([] as string[]), `${prop}.hostnames`)), fc.constant(bad(ok('a.example.com' as unknown), `${prop}.hostnames`))],
    }),
  }), fc.constant(bad(ok(null), `${prop}.ip`)));
}

/** Free-form maps: environment variables and feature flags. */
function environment(prop: string): Field {
  const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/).filter((k) => k !== '__proto__');
  const map = fc.dictionary(key, text, { maxKeys: 3 });
  return {
    valid: map.map((m) => ok(m)),
    invalid: fc.oneof(
      fc.tuple(map, fc.constantFrom('1ABC', 'MY-VAR', 'A B', '', 'ÄÖ')).map(([m, k]) => bad(ok({ ...m, [k]: 'x' }), `${prop} key`, describeValue(k))),
      fc.tuple(map, fc.constantFrom<unknown>(42, true, ['x'])).map(([m, v]) => bad(ok({ ...m, BAD_VALUE: v }), `${prop}.BAD_VALUE`, gotOf(v)))),
  };
}

function featureFlags(prop: string): Field {
  const map = fc.subarray([...FEATURE_FLAGS], { maxLength: 3 }).chain((names) => fc.tuple(...names.map(() => fc.boolean()))
    .map((values) => Object.fromEntries(names.map((n, i) => [n, values[i]]))));
  return {
    valid: map.map((m) => ok(m)),
    invalid: fc.oneof(
      fc.tuple(map, fc.constantFrom('FF_NOT_A_FLAG', 'ff_use_fastzip', 'USE_FASTZIP')).map(([m, k]) => bad(ok({ ...m, [k]: true }), prop, describeValue(k))),
      fc.constantFrom<unknown>('true', 1).map((v) => bad(ok({ FF_USE_FASTZIP: v }), `${prop}.FF_USE_FASTZIP`, gotOf(v)))),
  };
}

// ===================================================================================================
// RunnerManager

const RUNNER_AT = 'test/Runner';

/** `https://` and `http://` URLs without credentials, query or fragment. */
export const gitlabUrlValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('https://gitlab.example.com/', 'http://192.168.1.50/', 'https://gitlab.com/', 'https://gitlab.example.com:8443/gitlab/'),
  fc.webUrl({ validSchemes: ['http', 'https'], withQueryParameters: false, withFragments: false }))
  // The runner appends /api/v4 itself: an /api/ path is an error.
  .filter((u) => !/(^|\/)api(\/|$)/i.test(new URL(u).pathname));

export function gitlabUrl(prop: string): Field<string> {
  return plain(prop, gitlabUrlValue, fc.constantFrom<unknown>(undefined, '', 'gitlab.example.com', 'ftp://gitlab.example.com/',
    'https://user:secret@gitlab.example.com/', 'https://gitlab.example.com/?private_token=x', 'https://gitlab.example.com/#x',
    'https://gitlab example.com/', 'javascript:alert(1)', 'https://gitlab.example.com/ ', 42,
    'https://gitlab.example.com/api/v4/', 'https://gitlab.example.com/api', 'https://example.com/gitlab/api/v4'));
}

function tags(prop: string): Field {
  const tag = fc.oneof(fc.constantFrom('kubernetes', 'docker', 'x86_64', 'gpu', 'ünïcode', 'with space'), fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/));
  return list(prop, (p) => plain(p, tag, fc.constantFrom<unknown>('', ' kubernetes', 'docker ', 'a,b', 42)), {
    maxLength: 4,
    cross: (data, broken) => {
      const i = firstDuplicate(data.map((d, j) => (broken(j) ? `#broken${j}` : d)));
      return i >= 0 ? { faults: [{ at: '', prop: `${prop}[${i}]` }] } : {};
    },
    invalid: [fc.constant(bad(ok('kubernetes' as unknown), prop))],
  });
}

/** The capacity oracle: configured jobs beyond what the pool fits by requests, counted per node, exactly. */
export function capacityFaults(d: any, policy: PolicyModel | undefined, pool: PoolModel | undefined): Fault[] {
  if (!pool?.size || pool.broken || policy?.broken) return [];
  if ([d.replicas, d.concurrent, d.limit].some((v) => v !== undefined && !Number.isInteger(v))) return [];
  const per = policy?.requests ?? policyRequests('default', {});
  const { nodes, cpu, memory, percent } = pool.size;
  const byCpu = per.cpu > 0 ? Math.floor((cpu * percent) / (100 * per.cpu)) : Infinity;
  const byMemory = per.memory > 0 ? Math.floor(Math.floor((memory * percent) / 100) / per.memory) : Infinity;
  const jobs = Math.min(byCpu, byMemory) * nodes;
  const concurrent = d.concurrent ?? 10;
  const perManager = d.limit ? Math.min(d.limit, concurrent) : concurrent;
  return (d.replicas ?? 2) * perManager > jobs && d.overCommit !== true ? [{ at: '', prop: 'concurrent' }] : [];
}

const LEVELS = [PodSecurityLevel.PRIVILEGED, PodSecurityLevel.BASELINE, PodSecurityLevel.RESTRICTED];

/**
 * `f` that may also be `tooLarge` for Helm: the chart prints the value it feeds through a template,
 * where Helm writes 1000000 and up in exponent form. Checks that run before may name `mayFail` instead.
 */
function helmPrinted<T>(f: Field<T>, tooLarge: Gen<T>, prop: string, mayFail: readonly string[] = []): Field<T> {
  const g = bad(tooLarge, prop);
  return withInvalid(f, fc.constant({ ...g, mayFail: [...g.mayFail, ...mayFail.map((p) => ({ at: '', prop: p }))] }));
}

/** `f` whose valid values are sometimes `g`, valid or not depending on other props. */
function rarely<T>(f: Field<T>, g: Gen<T>): Field<T> {
  return { valid: fc.oneof({ weight: 10, arbitrary: f.valid }, { weight: 1, arbitrary: fc.constant(g) }), invalid: f.invalid };
}

/** RunnerManager's cross-field rules. */
function runnerCross(d: any, broken: (key: string) => boolean): Cross {
  const faults: Fault[] = [];
  const policy: PolicyModel | undefined = d.jobPodPolicy;
  // Draining (the default unless unregistering) excludes unregistering.
  // One namespace for the manager and its jobs only with sharedNamespace (never generated here).
  if (!['namespace', 'jobNamespace'].some(broken) && (d.jobNamespace ?? `${d.namespace ?? 'gitlab-runner'}-jobs`) === (d.namespace ?? 'gitlab-runner')) {
    faults.push({ at: '', prop: 'jobNamespace' });
  }
  const drain = d.drainOnStop ?? d.unregisterRunners !== true;
  if (!['drainOnStop', 'unregisterRunners'].some(broken) && drain && d.unregisterRunners === true) {
    faults.push({ at: '', prop: 'unregisterRunners' });
  }
  // A draining manager's grace period holds the longest job and the forced shutdown; otherwise it
  // only outlasts the forced shutdown. Unset, it is derived so.
  if (!['shutdownTimeout', 'terminationGracePeriod', 'jobTimeout', 'drainOnStop', 'unregisterRunners'].some(broken)
    && d.terminationGracePeriod !== undefined
    && (drain ? d.terminationGracePeriod < (d.jobTimeout ?? 3600) + (d.shutdownTimeout ?? 30)
      : d.terminationGracePeriod <= (d.shutdownTimeout ?? 30))) {
    faults.push({ at: '', prop: 'terminationGracePeriod' });
  }
  // Unset, the grace period is jobTimeout + shutdownTimeout, which the chart prints (Helm: below 1000000).
  if (!['shutdownTimeout', 'terminationGracePeriod', 'jobTimeout'].some(broken) && d.terminationGracePeriod === undefined
    && (d.jobTimeout ?? 3600) + (d.shutdownTimeout ?? 30) > 999999) {
    faults.push({ at: '', prop: 'jobTimeout' });
  }
  const level = d.jobNamespacePodSecurity;
  // What job pods need: the policy alone decides (its profile, a host path volume, AppArmor); the default policy is baseline.
  const needed = policy && !policy.broken && policy.level ? policy.level : PodSecurityLevel.BASELINE;
  if (level !== undefined && !broken('jobNamespacePodSecurity') && LEVELS.indexOf(level) > LEVELS.indexOf(needed)) {
    faults.push({ at: '', prop: 'jobNamespacePodSecurity' });
  }
  if (!['replicas', 'concurrent', 'limit', 'overCommit', 'jobPodPolicy', 'nodePool'].some(broken)) {
    faults.push(...capacityFaults(d, policy, d.nodePool));
  }
  return { faults };
}

/** Every RunnerManager prop except the ones given as `fixed` (the consumers' fixed choices). */
export function runnerManagerFields(at: string = RUNNER_AT): { [key: string]: Field } {
  return {
    gitlabUrl: gitlabUrl('gitlabUrl'),
    tokenSecret: withInvalid(secretRef('tokenSecret'),
      // A string there may be the token itself: the message redacts it.
      fc.constantFrom<unknown>(undefined, 'gitlab-runner-token').map((v) => bad(ok(v), 'tokenSecret', typeof v === 'string' ? undefined : gotOf(v)))),
    releaseName: optional(dnsLabel('releaseName', 53, fc.oneof(dnsLabelValue, fc.constantFrom('gitlab-runner-second', 'r'.repeat(53))))),
    namespace: optional(dnsLabel('namespace', 63, fc.constantFrom('gitlab-runner', 'gitlab', 'ci', 'runners'))),
    jobNamespace: optional(dnsLabel('jobNamespace', 63, fc.constantFrom('gitlab-runner-jobs', 'ci-jobs', 'jobs', 'gitlab'))),
    createNamespaces: optional(bool('createNamespaces')),
    runnerName: optional(plain('runnerName', nonBlank.filter((s) => !/[\r\n]/.test(s)), fc.constantFrom<unknown>('', '  ', 'a\nb', 'a\rb', 42))),
    runnerVersion: optional(plain('runnerVersion', fc.integer({ min: 0, max: 9 }).map((p) => `18.3.${p}`),
      fc.constantFrom<unknown>('18.2.0', '18.3', 'v18.3.0', '18.3.x', '18.3.0-rc1', 18.3))),
    imageRegistry: optional(registryHost('imageRegistry')),
    imageRepository: optional(plain('imageRepository', fc.constantFrom('gitlab-org/gitlab-runner', 'gitlab/gitlab-runner', 'runner'),
      fc.constantFrom<unknown>('Gitlab/Runner', 'a//b', '/a', 'a:tag', '', 42))),
    replicas: optional(helmPrinted(int('replicas', 1, undefined, 4), ok(1000000), 'replicas', ['concurrent'])),
    concurrent: optional(helmPrinted(int('concurrent', 1, undefined, 12), ok(1000000), 'concurrent', ['concurrent'])),
    limit: optional(int('limit', 0, undefined, 8)),
    requestConcurrency: optional(int('requestConcurrency', 1, undefined, 5)),
    outputLimit: optional(built('outputLimit', sizeOf(1, 64), fc.oneof(badSize, fc.constant(sizeGen(0)), fc.constant(sizeGen(512))))),
    checkInterval: optional(helmPrinted(duration('checkInterval', 1, 60), durationGen(1000000), 'checkInterval')),
    logLevel: optional(enumField('logLevel', Object.values(LogLevel))),
    logFormat: optional(enumField('logFormat', Object.values(LogFormat))),
    // Mostly shorter than the grace period, sometimes not (the cross-field rule).
    shutdownTimeout: optional(helmPrinted(duration('shutdownTimeout', 1, 900), durationGen(1000000), 'shutdownTimeout', ['terminationGracePeriod'])),
    terminationGracePeriod: optional(helmPrinted(duration('terminationGracePeriod', 1, 7200, 60), durationGen(30 * 86400), 'terminationGracePeriod')),
    // 30 days is fine unless it makes the derived grace period too large for Helm (runnerCross).
    jobTimeout: optional(rarely(duration('jobTimeout', 1, 7200, 60), durationGen(30 * 86400))),
    podDisruptionBudget: optional(bool('podDisruptionBudget')),
    spreadAcrossNodes: optional(bool('spreadAcrossNodes')),
    unregisterRunners: optional(bool('unregisterRunners')),
    drainOnStop: optional(bool('drainOnStop')),
    jobPodPolicy: optional(jobPodPolicy('jobPodPolicy', 'test/Jobs', 'Jobs')),
    dnsStrategy: optional(dnsStrategyField('dnsStrategy', at)),
    nodePool: optional(ciNodePool('nodePool', 'test/Pool', 'Pool')),
    jobNamespacePodSecurity: optional(enumField('jobNamespacePodSecurity', LEVELS), 3, 1),
    overCommit: optional(bool('overCommit')),
    tags: optional(tags('tags')),
    cache: optional(runnerCache('cache')),
    metrics: optional(bool('metrics')),
    managerResources: optional(resources('managerResources')),
    managerNodeSelector: optional(labelMap('managerNodeSelector')),
    managerTolerations: optional(list('managerTolerations', managerToleration, { maxLength: 3 })),
    managerAffinity: optional(plain('managerAffinity', fc.constantFrom(
      { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } },
      { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname' } }] } },
    ), fc.constantFrom<unknown>('zone-a', 42))),
    managerPriorityClassName: optional(dnsSubdomain('managerPriorityClassName')),
    environment: optional(environment('environment')),
    featureFlags: optional(featureFlags('featureFlags')),
    preGetSourcesScript: optional(nonEmpty('preGetSourcesScript')),
    postGetSourcesScript: optional(nonEmpty('postGetSourcesScript')),
    preBuildScript: optional(nonEmpty('preBuildScript')),
    postBuildScript: optional(nonEmpty('postBuildScript')),
    printPodWarningEvents: optional(bool('printPodWarningEvents')),
    podInformers: optional(bool('podInformers')),
    debugServices: optional(bool('debugServices')),
  };
}

/** Job-pod settings the JobPodPolicy took over from RunnerManagerProps, with a valid value each. */
const MOVED_TO_POLICY: readonly (readonly [string, unknown])[] = [['jobImage', 'alpine:3.22'], ['allowHostPathVolumes', true],
  ['volumes', []], ['hostAliases', []], ['imagePullSecrets', []], ['jobServiceAccountOverwriteAllowed', '^ci-.*$'], ['jobCleanupTimeout', 300]];

/** RunnerManager props (a function of the chart: it holds the Secrets and constructs), faults placed at `test/Runner`. */
export function runnerManagerProps(validPercent = 50): fc.Arbitrary<Gen> {
  const arb = typos(record(runnerManagerFields(), { validPercent, cross: runnerCross }), validPercent, {});
  // Code written for the old props must fail naming a job-pod setting given to the manager, not lose it.
  return (validPercent >= 100 ? arb : withStaleProp(arb, MOVED_TO_POLICY)).map((g) => stamp(g, RUNNER_AT));
}

/** A RunnerManager with fixed, valid props around one prop under test (`overrides`), for the other constructs' properties. */
export function runnerAround(overrides: { readonly [key: string]: Field }, validPercent: number): fc.Arbitrary<Gen> {
  const fields = { ...baseRunnerFields(), ...overrides };
  return record(fields, { validPercent, cross: runnerCross }).map((g) => stamp(g, RUNNER_AT));
}

function baseRunnerFields(): { [key: string]: Field } {
  return {
    gitlabUrl: { valid: fc.constant(ok('https://gitlab.example.com/')) },
    tokenSecret: { valid: secretRef('tokenSecret').valid },
  };
}

// ===================================================================================================
// CalculatorApp

export function appImage(prop: string): Field<AppImage> {
  const valid = fc.oneof(
    fc.constant(lazy(() => AppImage.fromVariable(), 'AppImage.fromVariable()', { variable: 'DOCKER_IMAGE' })),
    fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,10}$/).map((v) => lazy(() => AppImage.fromVariable(v), `AppImage.fromVariable(${fc.stringify(v)})`, { variable: v })),
    pinnedImageValue.map((r) => lazy(() => AppImage.fromReference(r), `AppImage.fromReference(${fc.stringify(r)})`, { reference: r })),
  );
  const invalid = fc.oneof(
    fc.constantFrom(...UNPINNED).map((r) => bad(lazy(() => AppImage.fromReference(r as string), `AppImage.fromReference(${fc.stringify(r)})`), prop, gotOf(r))),
    fc.constantFrom<unknown>('1BAD', 'MY-IMAGE', '', 'A B', '${X}').map((v) => bad(lazy(() => AppImage.fromVariable(v as string),
      `AppImage.fromVariable(${fc.stringify(v)})`), `${prop}.variable`, gotOf(v))),
    fc.constant(bad(ok('registry.example.com/app:1.0' as unknown as AppImage), prop)),
  );
  return { valid, invalid };
}

function probe(prop: string): Field {
  return withInvalid(nested({ initialDelay: duration(`${prop}.initialDelay`, 0, 300), period: duration(`${prop}.period`, 1, 60) }),
    fc.constantFrom<unknown>({}, 'fast').map((v) => bad(ok(v), prop)));
}

export function calculatorAppFields(): { [key: string]: Field } {
  return {
    image: optional(appImage('image')),
    namespace: optional(dnsLabel('namespace', 63, fc.oneof(dnsLabelValue, fc.constantFrom('gitlab-runner', 'gitlab-runner-jobs')))),
    name: optional(dnsLabel('name')),
    replicas: optional(int('replicas', 1, undefined, 5)),
    port: optional(int('port', 30000, 32767)),
    pullSecret: withInvalid(secretRef('pullSecret'), fc.constant(bad(ok(undefined), 'pullSecret.name', 'undefined'))),
    resources: optional(resources('resources')),
    timeZone: optional(nonEmpty('timeZone', fc.constantFrom('UTC', 'Asia/Shanghai', 'CST-8', 'Europe/Berlin', 'America/Argentina/Buenos_Aires'))),
    mountHostLocaltime: optional(mostly('mountHostLocaltime', false)),
    runAsUser: optional(int('runAsUser', 1, undefined, 65535)),
    liveness: optional(probe('liveness')),
    readiness: optional(probe('readiness')),
  };
}

/** A `CalculatorApp` construct; data `{ variable?, reference?, namespace, name, broken }`. */
export function calculatorApp(prop: string, at: string, id: string, validPercent = 50, ownChart?: string): Field<CalculatorApp> & { mixed: fc.Arbitrary<Gen<CalculatorApp>> } {
  // With `ownChart`, the app goes into that chart of the same App, as a pipeline's app must (its deploy job applies the whole chart).
  const target = (scope: Construct): Construct => (ownChart === undefined ? scope
    : scope.node.root.node.tryFindChild(ownChart) ?? new Chart(scope.node.root, ownChart));
  const construct = (g: Gen): Gen<CalculatorApp> => stamp({
    ...g,
    make: (scope: Construct) => new CalculatorApp(target(scope), id, g.make(target(scope))),
    show: `new CalculatorApp(${ownChart === undefined ? 'chart' : `new Chart(app, '${ownChart}')`}, '${id}', ${g.show})`,
    data: {
      ...(g.data.image ?? { variable: 'DOCKER_IMAGE' }),
      namespace: g.data.namespace ?? 'calculator',
      hostLocaltime: g.data.mountHostLocaltime === true,
      broken: g.faults.length > 0,
    },
  }, at);
  // TZ is not set when the node's /etc/localtime is mounted: a timeZone then has no effect.
  const cross = (d: any, broken: (key: string) => boolean): Cross => (d.mountHostLocaltime === true && !broken('mountHostLocaltime')
    && d.timeZone !== undefined ? { faults: [{ at: '', prop: 'timeZone' }] } : {});
  const variants = (percent: number) => typos(record(calculatorAppFields(), { validPercent: percent, cross }), percent, {}).map(construct);
  return {
    valid: variants(100),
    invalid: fc.oneof({ weight: 6, arbitrary: variants(0) }, { weight: 1, arbitrary: fc.constant(bad(ok({ name: 'calculator' } as unknown as CalculatorApp), prop)) }),
    mixed: variants(validPercent),
  };
}

// ===================================================================================================
// CalculatorPipeline and its runner

/** The pipeline's runner: a RunnerManager whose policy profile, tags and pool vary; data `{ profile }`. */
function pipelineRunner(prop: string): Field<RunnerManager> {
  const runner = fc.record({
    profile: fc.oneof({ weight: 4, arbitrary: fc.constant('privileged') }, { weight: 2, arbitrary: fc.constant('root-builder') },
      { weight: 1, arbitrary: fc.constant('non-root') }),
    tags: fc.constantFrom<string[]>([], ['kubernetes'], ['kubernetes', 'docker']),
    pool: fc.boolean(),
  }).map(({ profile, tags: t, pool }) => lazy((scope) => new RunnerManager(scope, 'Runner', {
    gitlabUrl: 'https://gitlab.example.com/',
    tokenSecret: Secret.fromSecretName(scope, 'Token', 'gitlab-runner-token'),
    tags: t,
    jobPodPolicy: new JobPodPolicy(scope, 'Jobs', {
      securityProfile: profile === 'privileged' ? JobSecurityProfile.privileged()
        : profile === 'root-builder' ? JobSecurityProfile.rootBuilder() : JobSecurityProfile.nonRoot(),
    }),
    nodePool: pool ? new CiNodePool(scope, 'Pool') : undefined,
  }), `new RunnerManager(chart, 'Runner', { ..., tags: ${fc.stringify(t)}, jobPodPolicy: <${profile}>${pool ? ', nodePool: new CiNodePool(chart, \'Pool\')' : ''} })`,
  { profile }));
  return { valid: runner, invalid: fc.constant(bad(ok({ tags: [], privileged: true } as unknown as RunnerManager), prop)) };
}

function imageBuilder(prop: string): Field<ImageBuilder> {
  const insecure = fc.array(registryHostValue, { maxLength: 2 });
  const dind = fc.record({
    dockerImage: fc.option(fc.constantFrom('docker:27.3.1', 'docker:26.1.4'), { nil: undefined }),
    dindImage: fc.option(fc.constantFrom('docker:27.3.1-dind', 'docker:26.1.4-dind-rootless'), { nil: undefined }),
    insecureRegistries: fc.option(insecure, { nil: undefined }),
    daemonTimeout: fc.option(fc.integer({ min: 2, max: 600 }), { nil: undefined }),
  }, { requiredKeys: [] });
  // `daemonTimeout` as a number of seconds here becomes a Duration; `rawDaemonTimeout` is passed as it is.
  const dindGen = (o: any) => {
    const { daemonTimeout, rawDaemonTimeout, ...rest } = o;
    const options = { ...rest, ...(daemonTimeout !== undefined ? { daemonTimeout: Duration.seconds(daemonTimeout) } : {}),
      ...(rawDaemonTimeout !== undefined ? { daemonTimeout: rawDaemonTimeout } : {}) };
    const shown = fc.stringify(rest).slice(1, -1) + (daemonTimeout !== undefined ? `, daemonTimeout: Duration.seconds(${daemonTimeout})` : '')
      + (rawDaemonTimeout !== undefined ? `, daemonTimeout: ${fc.stringify(rawDaemonTimeout)}` : '');
    return lazy(() => ImageBuilder.dockerInDocker(options), `ImageBuilder.dockerInDocker({ ${shown.replace(/^, /, '')} })`,
      { kind: 'docker-in-docker', nonStringImage: [o.dockerImage, o.dindImage].some((i) => i !== undefined && typeof i !== 'string') });
  };
  const kanikoGen = (o: any) => lazy(() => ImageBuilder.kaniko(o), `ImageBuilder.kaniko(${fc.stringify(o)})`,
    { kind: 'kaniko', nonStringImage: o.image !== undefined && typeof o.image !== 'string' });
  const valid = fc.oneof(
    dind.map((o) => dindGen(Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)))),
    fc.record({ image: fc.option(fc.constantFrom('gcr.io/kaniko-project/executor:v1.23.2-debug'), { nil: undefined }),
      insecureRegistries: fc.option(insecure, { nil: undefined }) }, { requiredKeys: [] })
      .map((o) => kanikoGen(Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)))),
  );
  const invalid = fc.oneof(
    fc.constantFrom(...UNPINNED).map((i) => bad(dindGen({ dockerImage: i }), `${prop}.dockerImage`)),
    fc.constantFrom(...UNPINNED).map((i) => bad(dindGen({ dindImage: i }), `${prop}.dindImage`)),
    fc.constantFrom(...UNPINNED).map((i) => bad(kanikoGen({ image: i }), `${prop}.image`)),
    fc.constantFrom(...BAD_REGISTRIES).map((r) => bad(dindGen({ insecureRegistries: ['registry.example.com', r] }), `${prop}.insecureRegistries[1]`, gotOf(r))),
    fc.constantFrom(...BAD_REGISTRIES).map((r) => bad(kanikoGen({ insecureRegistries: [r] }), `${prop}.insecureRegistries[0]`, gotOf(r))),
    fc.constantFrom(0, 1).map((s) => bad(dindGen({ daemonTimeout: s }), `${prop}.daemonTimeout`)),
    fc.constantFrom<unknown>(60, '60s').map((t) => bad(dindGen({ rawDaemonTimeout: t }), `${prop}.daemonTimeout`)),
    fc.constantFrom<unknown>('kaniko', { kind: 'kaniko' }).map((v) => bad(ok(v as ImageBuilder), prop)),
  );
  return { valid, invalid };
}

function appRegistry(prop: string): Field {
  return withInvalid(nested({
    host: registryHost(`${prop}.host`),
    repository: plain(`${prop}.repository`, fc.constantFrom('my-namespace/my-app', 'team/calculator', 'app'),
      fc.constantFrom<unknown>('My/App', 'a//b', '/app', 'app:1', '', 42)),
    usernameVariable: optional(plain(`${prop}.usernameVariable`, fc.constantFrom('ACR_USERNAME', 'REG_USER', '_U'),
      fc.constantFrom<unknown>('1USER', 'ACR-USER', '', 'A B', 42))),
    passwordVariable: optional(plain(`${prop}.passwordVariable`, fc.constantFrom('ACR_PASSWORD', 'REG_PASS'),
      fc.constantFrom<unknown>('2PASS', 'ACR-PASSWORD', ''))),
  }), fc.constant(bad(ok(undefined), `${prop}.host`, 'undefined')));
}

export function calculatorPipelineFields(): { [key: string]: Field } {
  return {
    app: calculatorApp('app', 'calc/Calculator', 'Calculator', 50, 'calc'),
    runner: pipelineRunner('runner'),
    registry: appRegistry('registry'),
    builder: optional(imageBuilder('builder')),
    branch: optional(nonEmpty('branch', fc.oneof(fc.constantFrom('main', 'release/1.x', 'feat"quote', 'ünï'), nonBlank))),
    testImage: optional(pinnedImage('testImage', false)),
    testScript: optional(plain('testScript', fc.array(nonBlank, { minLength: 1, maxLength: 3 }),
      fc.constantFrom<unknown>([], [''], [42]))),
    kubectlImage: optional(pinnedImage('kubectlImage', false)),
    kubeconfigVariable: optional(plain('kubeconfigVariable', fc.constantFrom('ACK_KUBECONFIG', 'KUBECONFIG_FILE'),
      fc.constantFrom<unknown>('ACK-KUBECONFIG', '1K', '', 42))),
    manifestPath: optional(plain('manifestPath', fc.constantFrom('calculator.k8s.yaml', 'deploy/app.k8s.yaml', '../x.yaml'),
      fc.constantFrom<unknown>('my app.yaml', '$(rm -rf /).yaml', '', 'a;b', 42))),
    rolloutTimeout: optional(duration('rolloutTimeout', 1, 3600)),
    mirror: optional({
      valid: fc.constantFrom(
        ok({ mirrorImage: (i: string) => i }, '{ mirrorImage: (image) => image }'),
        ok({ mirrorImage: imageMirror(new PropChecker('mirror'), 'mirror.example.com') }, '{ mirrorImage: imageMirror(check, \'mirror.example.com\') }', 'imageMirror')),
      invalid: fc.constantFrom(
        bad(ok({ mirrorImage: (i: string) => i.split(':')[0] }, '{ mirrorImage: (image) => image.split(":")[0] }'), 'builder'),
        bad(ok('registry.example.com' as unknown as IImageMirror), 'mirror'),
        bad(ok(((i: string) => i) as unknown as IImageMirror, '(image) => image'), 'mirror'),
      ),
    }),
  };
}

/** The pipeline's cross-field rules: the builder against the runner's profile, the app's image. */
function pipelineCross(d: any, broken: (key: string) => boolean): Cross {
  const faults: Fault[] = [];
  const mayFail: Fault[] = [];
  if (!broken('app') && d.app?.reference !== undefined) faults.push({ at: '', prop: 'app.image' });
  // The builder's kind is known even when its options are bad; the runner check comes first.
  const kind = d.builder === undefined ? 'docker-in-docker' : d.builder?.kind;
  const profile = d.runner?.profile;
  if (kind !== undefined && !broken('runner') && profile !== undefined) {
    if (kind === 'docker-in-docker' && profile !== 'privileged') faults.push({ at: '', prop: 'builder' });
    if (kind === 'kaniko' && profile === 'non-root') faults.push({ at: '', prop: 'builder' });
  }
  // An app in one of the runner's namespaces must be admitted by that namespace's level: only the
  // host /etc/localtime mount (privileged) can be refused, by the manager's (restricted) or a baseline jobs' namespace.
  const app = d.app;
  if (!broken('app') && !broken('runner') && app?.hostLocaltime && profile !== undefined) {
    const jobsLevel = profile === 'privileged' ? 'privileged' : 'baseline';
    if (app.namespace === 'gitlab-runner' || (app.namespace === 'gitlab-runner-jobs' && jobsLevel !== 'privileged')) {
      faults.push({ at: 'calc/Calculator', prop: 'namespace' });
    }
  }
  // A mirror that unpins images is reported on the first image it breaks.
  if (broken('mirror')) mayFail.push(...['testImage', 'kubectlImage'].map((prop) => ({ at: '', prop })));
  return { faults, mayFail };
}

export function calculatorPipelineProps(validPercent = 50): fc.Arbitrary<Gen> {
  return typos(record(calculatorPipelineFields(), { validPercent, cross: pipelineCross }), validPercent, {}).map((g) => stamp(g, 'test/Pipeline'));
}

// ===================================================================================================
// RunnerNetworkPolicies (the stacks' `network` prop)

const portsValue = fc.uniqueArray(fc.oneof(fc.constantFrom(22, 80, 443, 5000, 6443, 9000), fc.integer({ min: 1, max: 65535 })), { minLength: 1, maxLength: 3 });

/** A `NetworkEndpoint`; data `{ kind: 'ip' | 'cidr' | 'host', ports }`. */
function networkEndpoint(prop: string): Field<NetworkEndpoint> {
  const endpoint = (kind: string, make: () => NetworkEndpoint, show: string, ports: unknown) => lazy(make, show, { kind, ports });
  const ip = (a: unknown, p: unknown) => endpoint('ip', () => NetworkEndpoint.ip(a as string, p as number[]), `NetworkEndpoint.ip(${fc.stringify(a)}, ${fc.stringify(p)})`, p);
  const cidr = (c: unknown, p: unknown) => endpoint('cidr', () => NetworkEndpoint.cidr(c as string, p as number[]), `NetworkEndpoint.cidr(${fc.stringify(c)}, ${fc.stringify(p)})`, p);
  const host = (h: unknown, p: unknown) => endpoint('host', () => NetworkEndpoint.host(h as string, p as number[]), `NetworkEndpoint.host(${fc.stringify(h)}, ${fc.stringify(p)})`, p);
  const valid = fc.oneof(
    fc.tuple(ipValue, portsValue).map(([a, p]) => ip(a, p)),
    fc.tuple(fc.constantFrom('10.0.0.0/16', '192.168.1.0/24', '172.21.0.0/16', 'fd00::/8', '203.0.113.7/32'), portsValue).map(([c, p]) => cidr(c, p)),
    fc.tuple(fc.constantFrom('registry.example.com', 'gitlab.com', 's3.amazonaws.com'), fc.constantFrom([443], [80, 443], [5000])).map(([h, p]) => host(h, p)),
  );
  // A malformed endpoint fails in its factory (`NetworkEndpoint.<kind>`, arguments as the factory names them).
  const atFactory = (g: Gen<NetworkEndpoint>, kind: string, arg: string, got?: string) => stamp(bad(g, arg, got), `NetworkEndpoint.${kind}`);
  const invalid = fc.oneof(
    fc.constantFrom('10.0.0.0/33', '10.0.0.0', 'registry.example.com/24', '10.0.0.0/8/8', '::/129', '10.0.0.0/x').map((c) => atFactory(cidr(c, [443]), 'cidr', 'cidr', gotOf(c))),
    badIp.filter((a) => typeof a === 'string' && !a.includes('/')).map((a) => atFactory(ip(a, [443]), 'ip', 'address')),
    fc.constantFrom('Registry.example.com', 'registry_1.example.com', '-registry.example.com').map((h) => atFactory(host(h, [443]), 'host', 'host', gotOf(h))),
    fc.constant(atFactory(cidr('10.0.0.0/16', []), 'cidr', 'ports')),
    fc.constantFrom<unknown>(0, 65536, 1.5, '443').map((p) => atFactory(cidr('10.0.0.0/16', [p]), 'cidr', 'ports[0]', gotOf(p))),
    fc.constant(bad(ok({ cidr: '10.0.0.0/16', ports: [443] } as unknown as NetworkEndpoint), prop)),
  );
  return { valid, invalid };
}

/** An http(s) URL's host as `NetworkEndpoint.fromUrl()` sees it: an address, or a host name, and its port. */
function urlEndpoint(url: string): { kind: string; ports: number[] } | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const hostname = u.hostname.replace(/^\[|\]$/g, '');
  const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
  return { kind: IPV4.test(hostname) || hostname.includes(':') ? 'ip' : 'host', ports: [port] };
}

function networkFields(): { [key: string]: Field } {
  return {
    kubernetesApi: withInvalid(networkEndpoint('kubernetesApi'), fc.constant(bad(ok(undefined), 'kubernetesApi', 'undefined'))),
    gitlab: optional(networkEndpoint('gitlab'), 2, 1),
    registries: optional(list('registries', networkEndpoint, { maxLength: 2 })),
    cache: optional(networkEndpoint('cache'), 2, 1),
    extraJobEgress: optional(list('extraJobEgress', networkEndpoint, { maxLength: 2 })),
    internetEgress: optional(bool('internetEgress')),
    internetPorts: optional(list('internetPorts', (p) => int(p, 1, 65535, 65535), { minLength: 1, maxLength: 3 })),
    monitoringNamespace: optional(dnsLabel('monitoringNamespace')),
  };
}

/**
 * The policies' rules for endpoints given by host name: allowed only with `internetEgress`, and only
 * on `internetPorts`; the GitLab endpoint defaults to the runner's URL, the cache to the S3 address.
 */
function networkCross(net: any, gitlabUrl: unknown, cache: any): Fault[] {
  if (net === undefined || net === null || typeof net !== 'object') return [];
  const internet = net.internetEgress === true;
  const internetPorts: unknown[] = net.internetPorts ?? [80, 443];
  const faults: Fault[] = [];
  // Ports of an internet rule that does not exist.
  if (!internet && net.internetPorts !== undefined) faults.push({ at: '', prop: 'internetPorts' });
  const hostRule = (prop: string, e: { kind: string; ports: unknown[] } | undefined) => {
    if (e?.kind !== 'host') return;
    if (!internet) faults.push({ at: '', prop });
    else if (e.ports.some((p) => !internetPorts.includes(p))) faults.push({ at: '', prop: `${prop}.ports` });
  };
  hostRule('gitlab', net.gitlab ?? (typeof gitlabUrl === 'string' ? urlEndpoint(gitlabUrl) : undefined));
  hostRule('kubernetesApi', net.kubernetesApi);
  (net.registries ?? []).forEach((e: any, i: number) => hostRule(`registries[${i}]`, e));
  (net.extraJobEgress ?? []).forEach((e: any, i: number) => hostRule(`extraJobEgress[${i}]`, e));
  if (net.cache !== undefined) hostRule('cache', net.cache);
  else if (cache !== undefined && !internet) {
    const host = typeof cache.serverAddress === 'string' ? cache.serverAddress.replace(/:\d+$/, '') : undefined;
    if (!(cache.type === 's3' && host !== undefined && (IPV4.test(host) || host.includes(':')))) faults.push({ at: '', prop: 'cache' });
  }
  return faults;
}

// ===================================================================================================
// Environment stacks

function ipv4ToNumber(address: string): number | undefined {
  if (typeof address !== 'string' || !IPV4.test(address)) return undefined;
  return address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

/** Whether IPv4 `address` lies in `cidr` (an independent restatement of the check, for the oracle). */
export function inCidr(address: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const a = ipv4ToNumber(address);
  const b = ipv4ToNumber(base);
  if (a === undefined || b === undefined) return false;
  const size = 2 ** (32 - Number(bits));
  return Math.floor(a / size) === Math.floor(b / size);
}

export type StackKind = 'internal' | 'public' | 'hybrid';

/** Where a stack `id`'s constructs check their props. */
interface StackPaths {
  readonly stack: string; readonly runner: string; readonly policy: string; readonly pool: string; readonly app: string;
  readonly pipeline: string; readonly network: string; readonly smokeTest: string;
}

/** What `CalculatorApp` uses when `SampleAppOptions` leaves them out. */
const APP_DEFAULTS = { namespace: CalculatorApp.DEFAULT_NAMESPACE, port: CalculatorApp.DEFAULT_PORT, nodePortRange: { min: 30000, max: 32767 } };

/** `SampleAppOptions.nodePortRange`; faults unplaced, relative to it (`nodePortRange.min`). */
function nodePortRange(prop: string): Field {
  return {
    // Mostly ranges the usual ports lie in; narrow ones move the port out of range.
    valid: fc.oneof({ weight: 6, arbitrary: fc.constantFrom({ min: 30000, max: 32767 }, { min: 20000, max: 40000 }) },
      { weight: 1, arbitrary: fc.constantFrom({ min: 30100, max: 30300 }, { min: 8000, max: 9000 }) }).map((r) => ok(r)),
    invalid: fc.constantFrom<[unknown, string]>([{ min: 0, max: 32767 }, '.min'], [{ min: 30000, max: 65536 }, '.max'], [{ min: 32000, max: 31000 }, '.min'],
      [{ min: '30000', max: 32767 }, '.min'], [{ min: 30000 }, '.max'], [null, ''], ['30000-32767', ''])
      .map(([r, sub]) => bad(ok(r), `${prop}${sub}`)),
  };
}

/**
 * A stack's `sampleApp`: the registry is the pipeline's to check, the namespace's syntax and the pull
 * Secret the app's; the stack checks the node port range and the port (given or the app's default) against it.
 */
function sampleApp(at: StackPaths): Field {
  const specs: { [key: string]: Field } = {
    registry: placed(appRegistry('registry'), at.pipeline),
    // Sometimes one of the runner's namespaces (the stack's defaults and generated names): the stack refuses those.
    namespace: placed(optional(dnsLabel('namespace', 63, fc.oneof({ weight: 6, arbitrary: fc.constantFrom('calculator', 'apps', 'prod') },
      { weight: 1, arbitrary: fc.constantFrom('gitlab-runner', 'gitlab-runner-jobs', 'gitlab', 'ci-jobs') }))), at.app),
    // Mostly in the default range; sometimes only in a wider one, or in none.
    port: placed(optional(plain('sampleApp.port', fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 30000, max: 32767 }) },
      { weight: 1, arbitrary: fc.constantFrom(8080, 8500, 25000, 30150, 35000) }), fc.constantFrom<unknown>(1.5, '30080', NaN, true))), at.stack),
    nodePortRange: relocated(optional(nodePortRange('nodePortRange'), 2, 1), 'sampleApp', at.stack),
    pullSecretName: placed(optional(plain('pullSecret.name', dnsSubdomainValue, fc.constantFrom(...BAD_NAMES)), 2, 1), at.app),
  };
  // The port, given or the app's default, must lie in the range.
  const cross = (d: any, broken: (key: string) => boolean): Cross => {
    if (broken('nodePortRange')) return {};
    const range = d.nodePortRange ?? APP_DEFAULTS.nodePortRange;
    const outside = (port: number) => port < range.min || port > range.max;
    if (d.port !== undefined) return !broken('port') && outside(d.port) ? { faults: [{ at: at.stack, prop: 'sampleApp.port' }] } : {};
    return outside(APP_DEFAULTS.port) ? { faults: [{ at: at.stack, prop: 'sampleApp.nodePortRange' }] } : {};
  };
  return nested(specs, { cross });
}

/** `{ [prop]: value }` given to a stack, which it derives itself: an error at the stack. */
function derivedByStack(at: string, prop: string, make: () => object, show: string, got?: string): Gen {
  return { ...lazy(make, show, {}), faults: [{ at, prop, got }] };
}

/**
 * `arb` with one of `stale` (props an older API had, with a valid value each) in one record of 25: code
 * written for the old props must fail naming it at `at`, not lose the setting silently.
 */
function withStaleProp(arb: fc.Arbitrary<Gen>, stale: readonly (readonly [string, unknown])[], at = ''): fc.Arbitrary<Gen> {
  const withStale = fc.tuple(arb, fc.constantFrom(...stale)).map(([g, [key, value]]) => ({
    ...g,
    make: (scope: Construct) => ({ ...g.make(scope), [key]: value }),
    show: `${g.show} + ${key}: ${fc.stringify(value)}`,
    faults: [...g.faults, { at, prop: key, got: gotOf(value) }],
  }));
  return fc.oneof({ weight: 24, arbitrary: arb }, { weight: 1, arbitrary: withStale });
}

/** The stacks' flat sample-app props before `sampleApp`. */
const FLAT_APP_PROPS: readonly (readonly [string, unknown])[] = [['appRegistry', { host: 'registry.example.com', repository: 'app' }],
  ['appNamespace', 'calculator'], ['appPort', 30194], ['nodePortRange', { min: 30000, max: 32767 }], ['pullSecretName', 'app-registry-pull']];

/** Props of an environment stack `id`; faults are placed at the construct that checks them. */
export function stackProps(kind: StackKind, id: string, validPercent = 50): fc.Arbitrary<Gen> {
  const at: StackPaths = {
    stack: id, runner: `${id}/Runner`, policy: `${id}/JobPodPolicy`, pool: `${id}/CiNodePool`,
    app: `${id}-calculator/Calculator`, pipeline: `${id}/Pipeline`, network: `${id}/NetworkPolicies`, smokeTest: `${id}/SmokeTest`,
  };
  const poolFields = ciNodePoolFields();
  delete poolFields.namespace;
  // The stack derives the profile (builder), the helper image (imageMirror) and the job image (its jobImage).
  const jobPods = jobPodPolicyPropFields();
  delete jobPods.securityProfile;
  delete jobPods.helperImage;
  delete jobPods.jobImage;
  const jobPodsField = withInvalid(nested(jobPods, { cross: jobPodCross }), fc.constantFrom(
    derivedByStack(at.stack, 'jobPods.securityProfile', () => ({ securityProfile: JobSecurityProfile.privileged() }),
      '{ securityProfile: JobSecurityProfile.privileged() }'),
    derivedByStack(at.stack, 'jobPods.helperImage', () => ({ helperImage: HelperImage.official() }), '{ helperImage: HelperImage.official() }'),
    derivedByStack(at.stack, 'jobPods.jobImage', () => ({ jobImage: 'alpine:3.22' }), '{ jobImage: \'alpine:3.22\' }', '"alpine:3.22"')));
  const nodePoolField = withInvalid(nested(poolFields, { cross: ciNodePoolCross }), fc.constant(
    derivedByStack(at.stack, 'nodePool.namespace', () => ({ namespace: 'gitlab-runner-jobs' }), '{ namespace: \'gitlab-runner-jobs\' }', '"gitlab-runner-jobs"')));
  const fields: { [key: string]: Field } = {
    gitlabUrl: placed(gitlabUrl('gitlabUrl'), at.runner),
    replicas: placed(optional(int('replicas', 1, undefined, 4)), at.runner),
    concurrent: placed(optional(int('concurrent', 1, undefined, 12)), at.runner),
    limit: placed(optional(int('limit', 0, undefined, 8)), at.runner),
    overCommit: placed(optional(bool('overCommit')), at.runner),
    tags: placed(optional(tags('tags')), at.runner),
    namespace: placed(optional(dnsLabel('namespace', 63, fc.constantFrom('gitlab', 'ci', 'runners', 'gitlab-runner'))), at.stack),
    jobNamespace: placed(optional(dnsLabel('jobNamespace', 63, fc.constantFrom('gitlab-jobs', 'ci-jobs', 'jobs'))), at.stack),
    tokenSecretName: placed(optional(plain('tokenSecret.name', dnsSubdomainValue, fc.constantFrom(...BAD_NAMES)), 2, 1), at.runner),
    imageMirror: placed(optional(registryHost('imageMirror')), at.stack),
    // Pulled through imageMirror before the policy checks it: the message shows the mirrored reference. Strings
    // only: a non-string with imageMirror throws a TypeError in the stack's mirror (a library bug, reported).
    jobImage: placed(optional(plain('jobImage', pinnedImageValue, fc.constantFrom(...UNPINNED.filter((i) => typeof i === 'string')), false)), at.policy),
    // Faults placed below: the pipeline's builder, else the smoke test's dind job reads them.
    insecureRegistries: optional(list('insecureRegistries', (p) => registryHost(p), { maxLength: 2 })),
    builder: placed(optional(enumField('builder', Object.values(BuilderKind))), at.stack),
    jobPods: placed(optional(jobPodsField), at.policy),
    nodePool: placed(optional(nodePoolField), at.pool),
    cache: placed(optional(runnerCache('cache')), at.runner),
    network: placed(optional(nested(networkFields()), 3, 1), at.network),
    // Absent half of the time: the runner platform alone, without app, pipeline or app chart.
    sampleApp: optional(sampleApp(at), 1, 1),
  };
  // The strategy's factory checks its values at once, naming the stack's props (`dns.nameservers[1]`, `upstreams`).
  const dnsOptionsField = (k: DnsKind): Field => relocated({ valid: dnsStrategyOptions(k, 100), invalid: dnsStrategyOptions(k, 0) },
    'dns', at.stack);
  if (kind === 'internal') {
    fields.dns = dnsOptionsField('internal');
  } else if (kind === 'hybrid') {
    fields.dns = dnsOptionsField('hybrid');
    fields.serviceCidr = placed(optional(plain('serviceCidr', fc.constantFrom('10.96.0.0/12', '172.21.0.0/16', '10.0.0.0/8', '0.0.0.0/0'),
      fc.constantFrom<unknown>('172.21.0.0', '172.21.0.0/33', '300.1.0.0/16', 'fd00::/108', '', 42)), 2, 1), at.stack);
  } else {
    fields.upstreams = placed(upstreamList('upstreams'), at.stack);
  }
  const cross = (d: any, broken: (key: string) => boolean): Cross => {
    const faults: Fault[] = [];
    const dind = d.builder === undefined || d.builder === BuilderKind.DOCKER_IN_DOCKER;
    const profile = dind ? { name: 'privileged', level: PodSecurityLevel.PRIVILEGED } : { name: 'root-builder', level: PodSecurityLevel.BASELINE };
    const policy: PolicyModel = policyModel('default', d.jobPods ?? {}, broken('jobPods'), profile);
    const pool: PoolModel | undefined = d.nodePool === undefined ? undefined
      : poolModel({ ...d.nodePool, namespace: undefined }, broken('nodePool'));
    if (!['replicas', 'concurrent', 'limit', 'overCommit'].some(broken)) {
      faults.push(...capacityFaults(d, policy, pool).map((f) => ({ ...f, at: at.runner })));
    }
    if (kind === 'hybrid' && d.serviceCidr !== undefined && !broken('serviceCidr') && !broken('dns')) {
      if (!inCidr(d.dns.clusterDnsIp, d.serviceCidr)) faults.push({ at: at.stack, prop: 'dns.clusterDnsIp' });
    }
    if (!broken('gitlabUrl') && !broken('cache')) {
      faults.push(...networkCross(d.network, d.gitlabUrl, d.cache).map((f) => ({ ...f, at: at.network })));
    }
    // The app's namespace is its own: neither the manager's nor the jobs'.
    if (d.sampleApp !== undefined && !broken('namespace') && !broken('jobNamespace')) {
      const namespace = d.namespace ?? 'gitlab-runner';
      const appNamespace = d.sampleApp.namespace ?? APP_DEFAULTS.namespace;
      if (appNamespace === namespace || appNamespace === (d.jobNamespace ?? `${namespace}-jobs`)) faults.push({ at: at.stack, prop: 'sampleApp.namespace' });
    }
    return { faults };
  };
  // insecureRegistries go to the app's builder, else to the smoke test's dind job; a kaniko stack without the app reads them nowhere.
  const placeInsecure = (g: Gen): Gen => {
    const d = g.data;
    const dind = d.builder === undefined || d.builder === BuilderKind.DOCKER_IN_DOCKER;
    if (d.sampleApp !== undefined) return relocate(g, 'builder', at.pipeline);
    if (dind) return stamp(g, at.smokeTest);
    // A kaniko stack without the app has no use for registries: any listed is an error at the stack.
    if (Array.isArray(d.insecureRegistries) && d.insecureRegistries.length > 0) {
      return { ...g, faults: [...g.faults.filter((f) => f.at !== ''), { at: at.stack, prop: 'insecureRegistries' }] };
    }
    const unplaced = g.faults.filter((f) => f.at === '');
    return { ...g, faults: g.faults.filter((f) => f.at !== ''), mayFail: [...g.mayFail, ...unplaced.map((f) => ({ ...f, at: at.smokeTest }))] };
  };
  let arb = record(fields, { validPercent, cross }).map(placeInsecure);
  // Misspelled keys, at the top and in the subsets the stack passes on, are reported against the stack's props.
  for (const inside of [undefined, 'network', 'nodePool', 'jobPods', 'sampleApp']) arb = typos(arb, validPercent, { at: id, inside });
  return validPercent >= 100 ? arb : withStaleProp(arb, FLAT_APP_PROPS, id);
}
