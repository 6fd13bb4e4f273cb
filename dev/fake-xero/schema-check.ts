// Checks what the fake receives against Xero's published Accounting API spec
// (the shared specs' xero/xero_accounting.yaml, beside the repository), so a body Xero would reject for
// its shape fails here too, with the field named. The spec is read once, on first use, and only
// the schemas a request needs are compiled (ajv compiles a $ref's target when first reached).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

const specId = 'https://fake-xero.local/xero_accounting.json';
const specPath = fileURLToPath(new URL('../../../shared/specs/xero/xero_accounting.yaml', import.meta.url));

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

// ajv-formats is CommonJS; its plugin is the module's `default` property.
const addFormats = addFormatsModule.default;

function validator(schemaName: string): ValidateFunction {
  let validate = compiled.get(schemaName);
  if (validate) return validate;
  if (!ajv) {
    const spec = parse(readFileSync(specPath, 'utf8')) as { components: { schemas: Record<string, unknown> } };
    // The spec is OpenAPI 3.0: its extra keywords (nullable, example, x-*) are annotations here.
    ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    addFormats(ajv);
    for (const loose of ['double', 'int32', 'int64', 'byte', 'binary', 'float']) ajv.addFormat(loose, true);
    ajv.addSchema({ $id: specId, components: { schemas: spec.components.schemas } });
  }
  validate = ajv.getSchema(`${specId}#/components/schemas/${schemaName}`);
  if (!validate) throw new Error(`xero_accounting.yaml has no schema ${schemaName}`);
  compiled.set(schemaName, validate);
  return validate;
}

/** `/Invoices/0/LineItems/1/Quantity` → `Invoices[0].LineItems[1].Quantity` */
function fieldName(error: ErrorObject): string {
  const path = error.instancePath.split('/').slice(1).reduce((name, part) => (/^\d+$/.test(part) ? `${name}[${part}]` : name ? `${name}.${part}` : part), '');
  return path || 'the body';
}

function describe(error: ErrorObject): string {
  if (error.keyword === 'enum') return `${fieldName(error)} must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
  if (error.keyword === 'required') return `${fieldName(error)} needs ${(error.params as { missingProperty: string }).missingProperty}`;
  return `${fieldName(error)} ${error.message ?? 'is not valid'}`;
}

/** The problems with `body` as Xero's schema `schemaName` (e.g. "Invoices"); empty when it fits. */
export function schemaProblems(schemaName: string, body: unknown): string[] {
  const validate = validator(schemaName);
  if (validate(body)) return [];
  return [...new Set((validate.errors ?? []).map(describe))];
}
