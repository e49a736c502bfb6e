/** Parse and validate an OpenAPI document from text (JSON or YAML), 3.0 and 3.1 only. */
import { parse as parseYaml } from 'yaml';
import { AppError } from '../../errors.ts';
import { isObject, type JsonObject } from './json.ts';

/** Decode JSON or YAML text; `label` names the input in error messages ("base", a file path). */
export function parseSpecText(text: string, label: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new AppError('spec_invalid', `${label} is not valid JSON (${(err as Error).message}).`, { cause: err });
    }
  }
  try {
    // maxAliasCount guards against "billion laughs" alias bombs in untrusted YAML.
    return parseYaml(text, { maxAliasCount: 1000, uniqueKeys: false });
  } catch (err) {
    const first = (err as Error).message.split('\n')[0];
    throw new AppError('spec_invalid', `${label} is neither valid JSON nor valid YAML (${first}).`, { cause: err });
  }
}

/** Check that a decoded value is an OpenAPI 3.0/3.1 document; Swagger 2.0 is refused with advice. */
export function assertOpenApi(doc: unknown, label: string): JsonObject {
  if (!isObject(doc))
    throw new AppError('spec_invalid', `${label} is not an OpenAPI document (expected an object at the top level).`);
  if (typeof doc.swagger === 'string') {
    throw new AppError(
      'spec_invalid',
      `${label} is Swagger ${doc.swagger}; only OpenAPI 3.0 and 3.1 are supported. Convert it first (e.g. with swagger2openapi).`,
    );
  }
  const version = doc.openapi;
  if (typeof version !== 'string')
    throw new AppError('spec_invalid', `${label} is not an OpenAPI document (no "openapi" version field).`);
  if (!/^3\.[01]\.\d+/.test(version)) {
    throw new AppError('spec_invalid', `${label} is OpenAPI ${version}; only 3.0.x and 3.1.x are supported.`);
  }
  if (doc.paths !== undefined && !isObject(doc.paths))
    throw new AppError('spec_invalid', `${label}: "paths" must be an object.`);
  return doc;
}
