'use strict';
/**
 * Runs one esbuild build for modules/bundling.ts, in a child process: bundleFunction() is synchronous
 * (it runs inside construct constructors) and esbuild's synchronous API takes no plugins.
 *
 *   stdin: esbuild options (JSON)   stdout: { outputFiles: [{ path, base64 }], inputs: [path] } or { errors }
 *
 * The plugin, inlineSchemaKeys: the AWS SDK v3 clients describe every operation and shape as an
 * exported array in dist-es/schemas/schemas_0.js, whose member traits are objects with computed keys
 * (`{ [_xN]: _VIo }`, `_xN` a string constant of the same file). esbuild cannot tell that such a
 * key has no side effect, so it keeps every schema of the client: all 700+ EC2 operations (about
 * 540 KiB minified) for the three EC2 calls a function makes. Writing the constant's value instead
 * (`{ ["xmlName"]: _VIo }`) changes nothing at run time and lets esbuild drop the unused schemas.
 */
const fs = require('fs');

const SCHEMA_FILE = /[\\/]@aws-sdk[\\/].+[\\/]dist-es[\\/](?:.+[\\/])?schemas[\\/]schemas_\d+\.js$/;

/**
 * Replaces every computed key `[_name]:` whose `_name` is a top-level `const _name = "string";` of
 * the same file (declared exactly once) with the string literal itself.
 */
function inlineSchemaKeys(source) {
  // Every assignment or declaration of a `_name` anywhere in the file (`_name =`, not `==`).
  const assigned = new Map();
  for (const m of source.matchAll(/(?<![\w$.])(_\w+)\s*=(?![=>])/g)) assigned.set(m[1], (assigned.get(m[1]) ?? 0) + 1);
  const constants = new Map();
  for (const m of source.matchAll(/^const (_\w+) = ("(?:[^"\\\n]|\\.)*");$/gm)) {
    if (assigned.get(m[1]) === 1) constants.set(m[1], m[2]);
  }
  return source.replace(/\[(_\w+)\]:/g, (all, name) => (constants.has(name) ? `[${constants.get(name)}]:` : all));
}

const schemaKeysPlugin = {
  name: 'inline-sdk-schema-keys',
  setup(build) {
    build.onLoad({ filter: SCHEMA_FILE }, (args) => ({ contents: inlineSchemaKeys(fs.readFileSync(args.path, 'utf8')), loader: 'js' }));
  },
};

async function main() {
  const options = JSON.parse(fs.readFileSync(0, 'utf8'));
  const esbuild = require('esbuild');
  let reply;
  try {
    const result = await esbuild.build({ ...options, write: false, metafile: true, logLevel: 'silent', plugins: [schemaKeysPlugin] });
    reply = {
      outputFiles: result.outputFiles.map((f) => ({ path: f.path, base64: Buffer.from(f.contents).toString('base64') })),
      inputs: Object.keys(result.metafile.inputs),
    };
  } catch (e) {
    reply = { errors: (e.errors ?? []).map((m) => ({ text: m.text, location: m.location && { file: m.location.file, line: m.location.line, column: m.location.column } })), message: String(e.message ?? e) };
  }
  process.stdout.write(JSON.stringify(reply));
}

module.exports = { inlineSchemaKeys, SCHEMA_FILE };

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exitCode = 1;
  });
}
