#!/usr/bin/env node
// One measured process of the benchmark (bench/run.js starts each one and times it from outside):
//   app <N|seeds> <outdir>              the library: build the environments, write every file
//   modules <N|seeds>                   only load what `app` loads
//   prepare <N|seeds> <outdir> <json>   `app`, then save its output as the floors' input (not timed)
//   peer <json> <outdir>                a plain cdk8s app: the same Kubernetes objects as raw ApiObjects
//   strings <json> <outdir>             write the same files from ready strings
'use strict';
const fs = require('fs');
const path = require('path');

const [mode, ...args] = process.argv.slice(2);

/** Loads the library as apps/main.ts does (apps/run-ts.js) and returns a builder for `what`. */
function environments(what) {
  require('../apps/run-ts.js');
  if (what === 'seeds') return require('../apps/environments.ts').buildEnvironments;
  const n = Number(what);
  if (!Number.isInteger(n) || n < 1) throw new Error(`not an environment count: ${what}`);
  const { generatedEnvironments } = require('./environments.ts');
  return (app) => generatedEnvironments(app, n);
}

function synth(what, outdir) {
  const build = environments(what);
  const { App } = require('cdk8s');
  const { Output } = require('../lib');
  const app = new App({ outdir });
  build(app);
  return Output.writeFiles(app);
}

function writeAll(outdir, files) {
  for (const file of files) {
    const target = path.join(outdir, file.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.content);
  }
}

switch (mode) {
  case 'modules':
    environments(args[0]);
    require('cdk8s');
    require('../lib');
    break;
  case 'app':
    synth(args[0], args[1]);
    break;
  case 'prepare': {
    const files = synth(args[0], args[1]);
    // cdk8s's own YAML library reads the manifests back into the objects the peer writes.
    const yaml = require(require.resolve('yaml', { paths: [path.dirname(require.resolve('cdk8s'))] }));
    const manifests = files.filter((f) => f.kind === 'manifest').map((f) => ({
      path: f.path,
      objects: yaml.parseAllDocuments(f.content, { version: '1.1' }).map((d) => d.toJSON()).filter((d) => d),
    }));
    fs.writeFileSync(args[2], JSON.stringify({ files: files.map(({ path: p, content }) => ({ path: p, content })), manifests }));
    break;
  }
  case 'peer': {
    const { ApiObject, App, Chart } = require('cdk8s');
    const { manifests } = JSON.parse(fs.readFileSync(args[0], 'utf8'));
    const app = new App({ outdir: args[1] });
    manifests.forEach((file, i) => {
      const chart = new Chart(app, file.path.replace(/\.k8s\.yaml$/, '').replace(/[^A-Za-z0-9]+/g, '-'));
      file.objects.forEach((object, j) => new ApiObject(chart, `o${j}`, object));
    });
    app.synth();
    break;
  }
  case 'strings': {
    const { files } = JSON.parse(fs.readFileSync(args[0], 'utf8'));
    writeAll(args[1], files);
    break;
  }
  default:
    console.error(`unknown mode ${mode}`);
    process.exit(2);
}
