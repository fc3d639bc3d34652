// Generates lib/validation/props-keys.ts, the table of the keys every props and options interface
// declares (inherited members included), from the TypeScript sources with the
// compiler API: each key is written once, in its interface. Run `npm run gen:props-keys` after
// changing an interface; test/validation/props-keys.test.ts fails while the committed table is stale.
import * as fs from 'fs';
import * as path from 'path';
import type * as TS from 'typescript';
import { cacheDir, inputHash, writeCacheFile } from './cache';

const ROOT = path.resolve(__dirname, '..', '..');
export const OUTPUT = path.join(ROOT, 'lib', 'validation', 'props-keys.ts');
export const SCRIPT = 'npm run gen:props-keys';
/** Directories whose interfaces are models, renderers or internals, never a caller's input. */
const SKIPPED_DIRS = ['model', 'render', 'validation'].map((d) => path.join(ROOT, 'lib', d) + path.sep);

/** One public constructor, static factory or method, and the struct each of its parameters takes. */
export interface EntryPoint {
  /** The class's export name. */
  readonly className: string;
  /** `constructor`, or the method's name. */
  readonly name: string;
  readonly kind: 'constructor' | 'static' | 'method';
  /** Per parameter: its name, whether it is optional, and the struct (a key of the table) it takes, if any. */
  readonly params: readonly { readonly name: string; readonly optional: boolean; readonly struct?: string; readonly type: string }[];
}

export interface PropsKeys {
  /** Struct name (`RunnerManagerProps`, `EnvironmentStackProps.network`) -> its keys, sorted. */
  readonly structs: ReadonlyMap<string, readonly string[]>;
  /** Struct name -> prop -> the struct that prop (or each element of it) takes. */
  readonly nested: ReadonlyMap<string, ReadonlyMap<string, string>>;
  readonly entryPoints: readonly EntryPoint[];
  /** The text of lib/validation/props-keys.ts. */
  readonly source: string;
}

/** Where computed tables are kept between test files and runs, by the hash of their inputs. */
const CACHE_DIR = cacheDir('props-keys');
/** Packages whose declarations the compiler reads (inherited members may come from them). */
const TYPE_PACKAGES = ['typescript', 'cdk8s', 'cdk8s-plus-28', 'constructs'];

/** Every .ts file under `dir`, sorted by path. */
function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/**
 * The hash of everything the table depends on: this generator, every source under lib/ and imports/
 * (path and content), and the versions of the packages whose types the compiler reads.
 */
export function propsKeysInputHash(read?: (file: string) => string): string {
  return inputHash([__filename, ...tsFiles(path.join(ROOT, 'lib')), ...tsFiles(path.join(ROOT, 'imports'))], TYPE_PACKAGES, read);
}

/**
 * The table, computed once per change of its inputs: the compiler pass takes seconds and three test
 * files need it, so the result is kept in node_modules/.cache under the hash of its inputs.
 */
export function generatePropsKeys(): PropsKeys {
  const file = path.join(CACHE_DIR, `${propsKeysInputHash()}.json`);
  try {
    return fromJson(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch {
    // not computed yet for these inputs
  }
  const keys = computePropsKeys();
  writeCacheFile(file, JSON.stringify(toJson(keys)));
  return keys;
}

type PropsKeysJson = { structs: [string, string[]][]; nested: [string, [string, string][]][]; entryPoints: EntryPoint[]; source: string };

export function toJson(keys: PropsKeys): PropsKeysJson {
  return {
    structs: [...keys.structs].map(([k, v]) => [k, [...v]]),
    nested: [...keys.nested].map(([k, v]) => [k, [...v]]),
    entryPoints: [...keys.entryPoints],
    source: keys.source,
  };
}

export function fromJson(json: PropsKeysJson): PropsKeys {
  return {
    structs: new Map(json.structs),
    nested: new Map(json.nested.map(([k, v]) => [k, new Map(v)])),
    entryPoints: json.entryPoints,
    source: json.source,
  };
}

/** Reads lib/ with the compiler API and returns the table and its source text, without writing anything. */
export function computePropsKeys(): PropsKeys {
  // The compiler (~9 MB of JavaScript) loads only when the cache misses.
  const ts: typeof TS = require('typescript');
  const program = ts.createProgram([path.join(ROOT, 'lib', 'index.ts')], {
    target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS, strict: true, noEmit: true, skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const files = program.getSourceFiles().filter((f) => !f.isDeclarationFile
    && f.fileName.startsWith(path.join(ROOT, 'lib') + path.sep) && !SKIPPED_DIRS.some((d) => path.resolve(f.fileName).startsWith(d)));

  const structs = new Map<string, string[]>();
  const nested = new Map<string, Map<string, string>>();
  const interfaces = new Map<TS.Symbol, string>();
  const classes: TS.ClassDeclaration[] = [];
  const exported = (n: TS.Node) => ts.getCombinedModifierFlags(n as TS.Declaration) & ts.ModifierFlags.Export;
  for (const file of files) {
    ts.forEachChild(file, (node) => {
      if (ts.isInterfaceDeclaration(node) && exported(node)) interfaces.set(checker.getSymbolAtLocation(node.name)!, node.name.text);
      if (ts.isClassDeclaration(node) && node.name && exported(node)) classes.push(node);
    });
  }
  const keysOf = (type: TS.Type) => checker.getPropertiesOfType(type).map((p) => p.name).sort();
  /** Records a struct's keys, and the props whose value (or each element) is another struct. */
  const describe = (name: string, type: TS.Type) => {
    structs.set(name, keysOf(type));
    const props = new Map<string, string>();
    for (const prop of checker.getPropertiesOfType(type)) {
      const decl = prop.valueDeclaration ?? prop.declarations?.[0];
      if (!decl) continue;
      // An inline-typed prop is named after the interface that declares it, so subinterfaces share its entry.
      const owner = ts.isInterfaceDeclaration(decl.parent) ? decl.parent.name.text : name;
      const struct = structOf(checker.getTypeOfSymbolAtLocation(prop, decl), `${owner}.${prop.name}`);
      if (struct) props.set(prop.name, struct);
    }
    if (props.size) nested.set(name, props);
  };
  /** The struct a type names: one of our interfaces, or (for an inline object type) `<owner>.<prop>`. */
  const structOf = (type: TS.Type, anonymousName?: string): string | undefined => {
    let t = checker.getNonNullableType(type);
    if (checker.isArrayType(t)) t = checker.getTypeArguments(t as TS.TypeReference)[0];
    const named = t.getSymbol() && interfaces.get(t.getSymbol()!);
    if (named) return named;
    const isObject = (t.flags & ts.TypeFlags.Object) !== 0 && t.getCallSignatures().length === 0;
    const literal = t.getSymbol()?.name === '__type';
    if (anonymousName && isObject && literal && checker.getPropertiesOfType(t).length > 0) {
      if (!structs.has(anonymousName)) describe(anonymousName, t);
      return anonymousName;
    }
    return undefined;
  };
  for (const [symbol, name] of interfaces) describe(name, checker.getDeclaredTypeOfSymbol(symbol));

  const entryPoints: EntryPoint[] = [];
  const isPublic = (m: TS.ClassElement) => !(ts.getCombinedModifierFlags(m) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected))
    && !(m.name && ts.isIdentifier(m.name) && m.name.text.startsWith('_')) && !(m.name && ts.isPrivateIdentifier(m.name));
  const paramsOf = (decl: TS.SignatureDeclaration) => decl.parameters.map((p) => ({
    name: p.name.getText(),
    optional: p.questionToken !== undefined || p.initializer !== undefined,
    struct: structOf(checker.getTypeAtLocation(p)),
    type: checker.typeToString(checker.getTypeAtLocation(p)),
  }));
  for (const cls of classes) {
    const className = cls.name!.text;
    for (const member of cls.members) {
      if (!isPublic(member)) continue;
      if (ts.isConstructorDeclaration(member)) {
        entryPoints.push({ className, name: 'constructor', kind: 'constructor', params: paramsOf(member) });
      } else if (ts.isMethodDeclaration(member) && ts.isIdentifier(member.name)) {
        const isStatic = (ts.getCombinedModifierFlags(member) & ts.ModifierFlags.Static) !== 0;
        entryPoints.push({ className, name: member.name.text, kind: isStatic ? 'static' : 'method', params: paramsOf(member) });
      }
    }
  }

  // Only what a caller passes in: the structs of entry points' parameters, and the structs inside them.
  const reachable = new Set<string>();
  const visit = (struct: string | undefined) => {
    if (struct === undefined || reachable.has(struct)) return;
    reachable.add(struct);
    for (const inner of nested.get(struct)?.values() ?? []) visit(inner);
  };
  entryPoints.forEach((e) => e.params.forEach((p) => visit(p.struct)));
  for (const name of [...structs.keys()]) if (!reachable.has(name)) structs.delete(name);
  for (const name of [...nested.keys()]) if (!reachable.has(name)) nested.delete(name);
  const names = [...structs.keys()].sort();
  const source = [
    `// Generated by test/util/props-keys.ts from the interfaces in lib/ (inherited members included).`,
    `// Do not edit: run \`${SCRIPT}\` after changing a props or options interface.`,
    '',
    '/** The keys each props and options interface declares; `<Interface>.<prop>` for a prop of an inline object type. */',
    'export const PROPS_KEYS = {',
    ...names.map((n) => `  '${n}': [${structs.get(n)!.map((k) => `'${k}'`).join(', ')}],`),
    '} as const;',
    '',
    '/** For each struct, its props whose value (or each element of it) is another struct of this table. */',
    'export const PROPS_NESTED: { readonly [struct in keyof typeof PROPS_KEYS]?: { readonly [prop: string]: keyof typeof PROPS_KEYS } } = {',
    ...names.filter((n) => nested.has(n)).map((n) => `  '${n}': { ${[...nested.get(n)!].sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([p, t]) => `${p}: '${t}'`).join(', ')} },`),
    '};',
    '',
    '/** A props or options interface whose keys are known. */',
    'export type KnownStruct = keyof typeof PROPS_KEYS;',
    '',
  ].join('\n');
  return { structs, nested, entryPoints, source };
}

if (require.main === module) {
  fs.writeFileSync(OUTPUT, computePropsKeys().source);
  process.stdout.write(`wrote ${path.relative(ROOT, OUTPUT)}\n`);
}
