/** Parse and validate an OpenAPI document from text (JSON or YAML), 3.0 and 3.1 only. */
import { parseYaml } from '../../yaml.ts';
import { AppError } from '../../errors.ts';
import { isObject, type JsonObject } from './json.ts';

/**
 * How deeply a document's objects and arrays may nest. Real OpenAPI documents stay well under 50;
 * the comparisons walk recursively, so a hostile 20,000-deep schema would otherwise overflow the
 * stack and surface as an internal error instead of a refusal that says what is wrong.
 */
export const MAX_SPEC_DEPTH = 256;

/** Decode JSON or YAML text; `label` names the input in error messages ("base", a file path). */
export function parseSpecText(text: string, label: string): unknown {
  // A UTF-8 byte-order mark (written by .NET tools and some editors) is not part of the document;
  // JSON.parse refuses it (RFC 8259 §8.1 lets a parser ignore it).
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const doc = decode(body, label);
  assertDepth(doc, label);
  return doc;
}

function decode(text: string, label: string): unknown {
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
    // The yaml package recurses while composing; it reports the overflow as a parse error.
    if (err instanceof RangeError || /Maximum call stack size exceeded/.test((err as Error).message))
      throw tooDeep(label, err);
    const first = (err as Error).message.split('\n')[0];
    throw new AppError('spec_invalid', `${label} is neither valid JSON nor valid YAML (${first}).`, { cause: err });
  }
}

/** Refuse a document nested deeper than MAX_SPEC_DEPTH; iterative, so it cannot overflow itself. */
export function assertDepth(doc: unknown, label: string, max = MAX_SPEC_DEPTH): void {
  const stack: [unknown, number][] = [[doc, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > max) throw tooDeep(label);
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push([child, depth + 1]);
  }
}

function tooDeep(label: string, cause?: unknown): AppError {
  return new AppError(
    'spec_invalid',
    `${label} is nested too deeply (more than ${MAX_SPEC_DEPTH} levels of objects and arrays); no real OpenAPI document is.`,
    cause === undefined ? undefined : { cause },
  );
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
  // Documents that did not come through parseSpecText (a cache, the sandbox) are bounded here.
  assertDepth(doc, label);
  if (doc.paths !== undefined && !isObject(doc.paths))
    throw new AppError('spec_invalid', `${label}: "paths" must be an object.`);
  return doc;
}
