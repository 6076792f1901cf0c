// Run by amplify-backend with `node --input-type=module --eval`: bundles one
// function entry with the esbuild package named in the request (JSON on stdin),
// writes the output files into `outDir`, and prints a JSON report on stdout:
// {ok, inputs, outputs, exports, errors, warnings}.
import { createRequire } from 'node:module';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';

const request = JSON.parse(readFileSync(0, 'utf8'));
const load = createRequire(join(request.esbuild, 'package.json'));
const esbuild = load(request.esbuild);

const message = (m) => ({
  text: m.text,
  file: m.location?.file ?? null,
  line: m.location?.line ?? null,
  column: m.location?.column ?? null,
  lineText: m.location?.lineText ?? null,
});

// `$amplify/env/<name>`: this function's environment module, by its run-time
// content (the types live in the generated .ts file the type checker reads).
const amplifyEnv = (env) => ({
  name: 'amplify-env',
  setup(build) {
    const own = env.prefix + env.name;
    const filter = new RegExp('^' + env.prefix.replace(/[$/]/g, '\\$&'));
    build.onResolve({ filter }, (args) => {
      const asked = args.path.replace(/\.(ts|js|mjs)$/, '');
      if (asked !== own) {
        return { errors: [{ text: `'${args.path}' is not this function's environment module; import '${own}'` }] };
      }
      return { path: own, namespace: 'amplify-env' };
    });
    build.onLoad({ filter: /.*/, namespace: 'amplify-env' }, () => ({ contents: env.contents, loader: 'js' }));
  },
});

let report;
try {
  const plugins = request.amplifyEnv ? [amplifyEnv(request.amplifyEnv)] : [];
  const result = await esbuild.build({ ...request.options, plugins, write: false, metafile: true, logLevel: 'silent' });
  const outBase = dirname(request.options.outfile);
  mkdirSync(request.outDir, { recursive: true });
  const outputs = [];
  for (const file of result.outputFiles) {
    const name = relative(outBase, file.path);
    mkdirSync(dirname(join(request.outDir, name)), { recursive: true });
    writeFileSync(join(request.outDir, name), file.contents);
    outputs.push(name);
  }
  const entryOutput = Object.values(result.metafile.outputs).find((o) => o.entryPoint);
  report = {
    ok: true,
    inputs: Object.keys(result.metafile.inputs),
    outputs,
    exports: entryOutput?.exports ?? [],
    errors: [],
    warnings: result.warnings.map(message),
  };
} catch (error) {
  const errors = Array.isArray(error?.errors) && error.errors.length > 0
    ? error.errors.map(message)
    : [{ text: String(error?.message ?? error), file: null, line: null, column: null, lineText: null }];
  report = { ok: false, inputs: [], outputs: [], exports: [], errors, warnings: (error?.warnings ?? []).map(message) };
}
esbuild.stop?.();
process.stdout.write(JSON.stringify(report));
