// The contracts in docs/ as the ecosystem's own tools read them (issue 14, part 4): AsyncAPI's parser, the library
// behind AsyncAPI Studio, the CLI and the generator, must load docs/asyncapi.yaml with no error; Ajv in draft 2020-12
// strict mode must compile every JSON Schema in docs/schemas, and the draft 2020-12 schemas written inline in the
// document. The Java tests validate records with these files; this checks that other tools accept them too.
// Exits 1 on any error; warnings and other diagnostics are printed, not judged.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Parser, fromFile, DiagnosticSeverity } from '@asyncapi/parser';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import yaml from 'js-yaml';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const docs = join(repo, 'docs');
const asyncapiFile = join(docs, 'asyncapi.yaml');
const DRAFT_2020_12 = 'application/schema+json;version=draft-2020-12';
let failures = 0;

// 1. AsyncAPI's parser: its JSON Schema of AsyncAPI 3.0 (with the bindings' schemas) and its core rules.
{
  const parser = new Parser();
  const { document, diagnostics } = await fromFile(parser, asyncapiFile).parse();
  let errors = 0;
  let others = 0;
  for (const d of diagnostics) {
    const severity = DiagnosticSeverity[d.severity];
    console.log(`asyncapi: ${severity.toLowerCase()} ${d.code} at ${d.path.join('.') || '(root)'}: ${d.message}`);
    if (d.severity === DiagnosticSeverity.Error) errors++; else others++;
  }
  if (errors > 0 || document === undefined) {
    failures++;
    console.log(`asyncapi: FAILED: docs/asyncapi.yaml has ${errors} error(s) in @asyncapi/parser`);
  } else {
    console.log(`asyncapi: docs/asyncapi.yaml loads in @asyncapi/parser: 0 errors, ${others} other diagnostic(s), `
      + `${document.channels().length} channels, ${document.operations().length} operations, `
      + `${document.allMessages().length} messages`);
  }
}

// 2. Ajv, draft 2020-12, strict: an unknown keyword or format, a type keyword without its type, or a union type is an
// error, not something silently ignored as most validators do. strictRequired is left off: it wants every required
// property declared in the same schema object, and the schemas narrow a $ref'd model ("$ref" + "required") or an
// object's properties in an if/then, which is valid JSON Schema. Every file is added under its own file URL
// first, so the relative cross-file $refs ("../common.json#/$defs/id") resolve as they do in the Java validator.
{
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
  addFormats(ajv);
  const files = [];
  const walk = (dir) => readdirSync(dir, { withFileTypes: true }).forEach((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path); else if (entry.name.endsWith('.json')) files.push(path);
  });
  walk(join(docs, 'schemas'));
  files.sort();
  const ids = new Map();
  for (const file of files) {
    const schema = JSON.parse(readFileSync(file, 'utf8'));
    const id = pathToFileURL(file).href;
    ids.set(file, id);
    ajv.addSchema({ ...schema, $id: id });
  }
  let errors = 0;
  const compile = (what, key) => {
    try {
      ajv.getSchema(key);
    } catch (e) {
      errors++;
      console.log(`ajv: ${what}: ${e.message}`);
    }
  };
  for (const file of files) compile(relative(repo, file), ids.get(file));

  // The document's own draft 2020-12 schemas (headers narrowed per message, mostly), with the document as their
  // base so './schemas/...' resolves: the AsyncAPI parser does not look inside a schema of this format.
  const doc = yaml.load(readFileSync(asyncapiFile, 'utf8'));
  let inline = 0;
  for (const [name, message] of Object.entries(doc.components?.messages ?? {})) {
    for (const part of ['payload', 'headers']) {
      const multiFormat = message[part];
      if (multiFormat?.schemaFormat !== DRAFT_2020_12) continue;
      // An id of its own beside the document (ids must be unique), so its relative $refs resolve from docs/.
      const key = pathToFileURL(join(docs, `asyncapi.yaml.${name}.${part}`)).href;
      ajv.addSchema({ ...multiFormat.schema, $id: key });
      compile(`asyncapi.yaml components.messages.${name}.${part}`, key);
      inline++;
    }
  }
  if (errors > 0) {
    failures++;
    console.log(`ajv: FAILED: ${errors} schema(s) refused in draft 2020-12 strict mode`);
  } else {
    console.log(`ajv: ${files.length} schemas in docs/schemas and ${inline} in docs/asyncapi.yaml compile in `
      + 'draft 2020-12 strict mode');
  }
}

process.exit(failures > 0 ? 1 : 0);
