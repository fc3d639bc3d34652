#!/usr/bin/env node
// Runs a TypeScript entry point (apps/main.ts) for `cdk8s synth` without type-checking.
// Each .ts file is transpiled once with typescript.transpileModule and cached by content
// hash under node_modules/.cache, so a repeated synth does not even load the compiler.
// Type errors are caught by `npm run build` and `npm test`, not here. Required (not run), it only
// registers the loader: the benchmark loads the library the way the app does.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const cacheDir = path.join(__dirname, '..', 'node_modules', '.cache', 'run-ts');
const compilerOptions = {
  module: 'commonjs',
  target: 'es2020',
  inlineSourceMap: true,
  inlineSources: false,
};
// The compiler version is part of the cache key; reading package.json is cheap, loading the compiler is not.
const tsVersion = require('typescript/package.json').version;
let ts; // loaded only on a cache miss

function transpile(filename, source) {
  if (!ts) ts = require('typescript');
  const options = ts.convertCompilerOptionsFromJson(compilerOptions, '').options;
  return ts.transpileModule(source, { compilerOptions: options, fileName: filename }).outputText;
}

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const key = crypto.createHash('sha256')
    .update(tsVersion).update('\0')
    .update(JSON.stringify(compilerOptions)).update('\0')
    .update(filename).update('\0')
    .update(source)
    .digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  let js;
  try {
    js = fs.readFileSync(cached, 'utf8');
  } catch {
    js = transpile(filename, source);
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.writeFileSync(`${cached}.${process.pid}`, js);
    fs.renameSync(`${cached}.${process.pid}`, cached);
  }
  module._compile(js, filename);
};

process.setSourceMapsEnabled(true);

if (require.main === module) {
  const entry = process.argv[2];
  if (!entry) {
    console.error('usage: node apps/run-ts.js <entry.ts>');
    process.exit(2);
  }
  require(path.resolve(entry));
}
