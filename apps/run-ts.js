#!/usr/bin/env node
// Runs a TypeScript entry point (apps/main.ts) for `cdk8s synth` without type-checking.
// Each .ts file is transpiled once (with @swc/core, else typescript.transpileModule) and cached by
// content hash under node_modules/.cache, so a repeated synth does not even load the transpiler.
// Beside each transpiled file it keeps V8's code cache (its bytecode, written when the process
// exits, so it holds the functions the synth ran), so a repeated synth does not compile them either;
// so it does for the library's dependencies that plain cdk8s apps do not load (see CACHED_PACKAGES).
// Type errors are caught by `npm run build` and `npm test`, not here. Required (not run), it only
// registers the loader: the benchmark loads the library the way the app does.
'use strict';
const { isAscii } = require('buffer');
const crypto = require('crypto');
const fs = require('fs');
const Module = require('module');
const path = require('path');
const vm = require('vm');

const cacheDir = path.join(__dirname, '..', 'node_modules', '.cache', 'run-ts');
// @swc/core, which jest uses too (with the options in package.json, so the app and the tests run the
// same JavaScript), transpiles a file in about a millisecond; TypeScript's transpileModule is the
// fallback where it is not installed, after loading ~9 MB of compiler.
const swcOptions = require('../package.json').jest.transform['^.+\\.ts$'][1];
const tsOptions = { module: 'commonjs', target: 'es2020', inlineSourceMap: true, inlineSources: false };
let transpiler;
function pickTranspiler() {
  try {
    const version = require('@swc/core/package.json').version;
    return { id: `swc ${version} ${JSON.stringify(swcOptions)}`, run: (filename, source) => require('@swc/core').transformSync(source, { ...swcOptions, filename }).code };
  } catch {
    // The compiler version is part of the cache key; reading package.json is cheap, loading the compiler is not.
    const version = require('typescript/package.json').version;
    return {
      id: `typescript ${version} ${JSON.stringify(tsOptions)}`,
      run: (filename, source) => {
        const ts = require('typescript');
        const options = ts.convertCompilerOptionsFromJson(tsOptions, '').options;
        return ts.transpileModule(source, { compilerOptions: options, fileName: filename }).outputText;
      },
    };
  }
}

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  transpiler ??= pickTranspiler();
  const key = crypto.createHash('sha256')
    .update(transpiler.id).update('\0')
    .update(filename).update('\0')
    .update(source)
    .digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  let js;
  try {
    js = fs.readFileSync(cached, 'utf8');
  } catch {
    js = transpiler.run(filename, source);
    writeCache(cached, js);
  }
  transpiled.set(filename, js);
  compile(module, filename, js, cached.replace(/\.js$/, `.${process.arch}-v8-${process.versions.v8}.cache`));
};

// A relative require between .ts files resolves here to `<path>.ts` or `<path>/index.ts`: Node's
// resolver would try `.js`, `.json` and `.node` first for each, in JavaScript, which took ~30 ms
// of a synth for the library's ~260 such requires. The sources have no namesakes of other kinds.
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, parent, isMain, options) {
  if (options === undefined && parent?.filename?.endsWith('.ts') && (request.startsWith('./') || request.startsWith('../'))) {
    const base = path.resolve(path.dirname(parent.filename), request);
    for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) {
      try {
        return fs.realpathSync.native(candidate);
      } catch {
        // not this one
      }
    }
  }
  return resolveFilename.call(this, request, parent, isMain, options);
};

// The packages this app loads beyond what any cdk8s app loads (cdk8s, constructs and their own
// dependencies, compiled as usual) get a code cache too: cdk8s-plus-28's 2.7 MB of generated
// classes cost ~70 ms a synth to compile. An installed file is known by its inode, size and
// change times (any write changes its ctime), which spares hashing megabytes on every run.
const CACHED_PACKAGES = ['cdk8s-plus-28', '@iarna/toml'].map((name) => `${path.sep}node_modules${path.sep}${name.split('/').join(path.sep)}${path.sep}`);
const loadJs = Module._extensions['.js'];
Module._extensions['.js'] = (module, filename) => {
  if (!CACHED_PACKAGES.some((dir) => filename.includes(dir))) return loadJs(module, filename);
  const stat = fs.statSync(filename);
  const key = crypto.createHash('sha256')
    .update(filename).update('\0')
    .update(`${stat.ino}\0${stat.size}\0${stat.mtimeMs}\0${stat.ctimeMs}`)
    .digest('hex');
  return compile(module, filename, sourceText(fs.readFileSync(filename)), path.join(cacheDir, `${key}.${process.arch}-v8-${process.versions.v8}.cache`));
};

/** A file's text as Node reads it (UTF-8, no byte order mark); an ASCII file, such as k8s.js, without decoding UTF-8. */
function sourceText(bytes) {
  if (isAscii(bytes)) return bytes.latin1Slice(0, bytes.length);
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Scripts compiled without a usable code cache, and where to write theirs at exit. */
const newCodeCaches = [];

/** What `module._compile(js, filename)` does for a CommonJS file, with V8's code cache from `cacheFile`. */
function compile(module, filename, js, cacheFile) {
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(js), { filename, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) newCodeCaches.push({ script, cacheFile });
  // The module's own `require`, as Node makes it.
  const moduleRequire = (id) => module.require(id);
  moduleRequire.resolve = (request, options) => Module._resolveFilename(request, module, false, options);
  moduleRequire.resolve.paths = (request) => Module._resolveLookupPaths(request, module);
  moduleRequire.main = require.main;
  moduleRequire.extensions = Module._extensions;
  moduleRequire.cache = Module._cache;
  script.runInThisContext({ displayErrors: true })
    .call(module.exports, module.exports, moduleRequire, module, filename, path.dirname(filename));
}

/** Writes a cache file atomically: another synth may read or write it at the same time. */
function writeCache(file, data) {
  fs.mkdirSync(cacheDir, { recursive: true });
  fs.writeFileSync(`${file}.${process.pid}`, data);
  fs.renameSync(`${file}.${process.pid}`, file);
}

process.on('exit', () => {
  for (const { script, cacheFile } of newCodeCaches) {
    try {
      writeCache(cacheFile, script.createCachedData());
    } catch {
      // Only a cache: the next run compiles again.
    }
  }
});

// Stack frames in .ts files point at their TypeScript lines. Node's own source-map support
// (process.setSourceMapsEnabled) decodes every module's inline map as it loads, cdk8s-plus-28's
// multi-megabyte one included, which costs every synth ~0.1 s; here a map is decoded only when a
// stack trace that passes through its file is formatted, which a synth without a bug never does.
const transpiled = new Map(); // .ts file name -> its transpiled JavaScript (the inline map at its end)
const sourceMaps = new Map();

function sourceMapOf(filename) {
  if (!sourceMaps.has(filename)) {
    const match = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/.exec(transpiled.get(filename));
    sourceMaps.set(filename, match ? new SourceMap(JSON.parse(Buffer.from(match[1], 'base64').toString('utf8'))) : undefined);
  }
  return sourceMaps.get(filename);
}

/** A .ts file's position in the TypeScript source (1-based), or undefined. */
function originalPosition(file, line, column) {
  if (!file || !transpiled.has(file) || !line || !column) return undefined;
  try {
    // The module wrapper shares the transpiled code's first line.
    const entry = sourceMapOf(file)?.findEntry(line - 1, line === 1 ? column - 1 - Module.wrapper[0].length : column - 1);
    return entry && entry.originalLine !== undefined ? { line: entry.originalLine + 1, column: entry.originalColumn + 1 } : undefined;
  } catch {
    return undefined; // a broken map must not hide the error
  }
}

const { SourceMap } = Module;
const throwSites = new WeakMap(); // error -> its top frame's TypeScript position, for the crash report

Error.prepareStackTrace = (error, frames) => {
  let header;
  try {
    header = Error.prototype.toString.call(error);
  } catch {
    header = '<error>';
  }
  const lines = frames.map((frame, i) => {
    const text = String(frame);
    const file = frame.getFileName();
    const at = originalPosition(file, frame.getLineNumber(), frame.getColumnNumber());
    if (!at) return text;
    if (i === 0 && error !== null && typeof error === 'object') throwSites.set(error, { file, ...at });
    return text.split(`${file}:${frame.getLineNumber()}:${frame.getColumnNumber()}`).join(`${file}:${at.line}:${at.column}`);
  });
  return [header, ...lines.map((line) => `    at ${line}`)].join('\n');
};

/**
 * A crash printed as Node prints it, but with the TypeScript line above the stack: Node's own
 * report would quote the transpiled line under the .ts file's name.
 */
function reportCrash(error) {
  const stack = error instanceof Error ? String(error.stack) : require('util').inspect(error);
  const site = error !== null && typeof error === 'object' ? throwSites.get(error) : undefined;
  let quote = '';
  if (site) {
    const source = fs.readFileSync(site.file, 'utf8').split(/\r?\n/)[site.line - 1];
    if (source !== undefined) quote = `${site.file}:${site.line}\n${source}\n${' '.repeat(site.column - 1)}^\n\n`;
  }
  process.stderr.write(`${quote}${stack}\n\nNode.js ${process.version}\n`);
  process.exit(1);
}

if (require.main === module) {
  const entry = process.argv[2];
  if (!entry) {
    console.error('usage: node apps/run-ts.js <entry.ts>');
    process.exit(2);
  }
  process.on('uncaughtException', reportCrash);
  require(path.resolve(entry));
}
