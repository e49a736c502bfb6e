import { describe, expect, it } from 'vitest';
import { diffEdited, verdicts, withRule, type Doc } from './diff-helpers.ts';

const S = (doc: Doc) => doc.components.schemas;

describe('diff engine: identical and recursive FastAPI specs', () => {
  it('reports nothing between identical FastAPI 3.1 specs with recursive models', () => {
    const report = diffEdited(() => undefined);
    expect(report.changes).toEqual([]);
    expect(report.summary).toEqual({ breaking: 0, warning: 0, nonBreaking: 0 });
  });

  it('diffs a change inside a recursive model without looping, once', () => {
    const report = diffEdited((d) => void (S(d).Category.properties.name.maxLength = 10));
    // Category is only used in responses; a new maxLength there tightens what the server sends.
    expect(verdicts(report)).toEqual(['response-max-length-set@non-breaking']);
    const [c] = report.changes;
    expect(c!.location).toBe('schema Category.name');
    expect([c!.operation, ...(c!.alsoAffects ?? [])].sort()).toEqual(
      ['GET /api/autorisen/categories/', 'GET /api/autorisen/items/{item_id}', 'POST /api/autorisen/items/'].sort(),
    );
  });
});

describe('diff engine: direction (request vs response)', () => {
  it('a field removed from a model used in responses is breaking once, with every operation', () => {
    const report = diffEdited((d) => {
      delete S(d).Item.properties.name;
      S(d).Item.required = S(d).Item.required.filter((n: string) => n !== 'name');
    });
    const removed = withRule(report, 'response-required-property-removed');
    expect(removed).toHaveLength(1);
    expect(removed[0]!.severity).toBe('breaking');
    expect(removed[0]!.message).toContain('`name`');
    expect([removed[0]!.operation, ...(removed[0]!.alsoAffects ?? [])]).toHaveLength(2);
  });

  it('a request field that became required is breaking; a response field that became optional is breaking', () => {
    const report = diffEdited((d) => {
      S(d).ItemCreate.required.push('tags');
      S(d).Token.required = ['access_token'];
    });
    expect(verdicts(report)).toEqual([
      'request-property-became-required@breaking',
      'response-property-became-optional@breaking',
    ]);
  });

  it('tightening a request constraint breaks; loosening it does not', () => {
    const tighter = diffEdited((d) => void (S(d).ItemCreate.properties.name.maxLength = 50));
    expect(verdicts(tighter)).toEqual(['request-max-length-decreased@breaking']);
    const looser = diffEdited((d) => void (S(d).ItemCreate.properties.name.maxLength = 200));
    expect(verdicts(looser)).toEqual(['request-max-length-increased@non-breaking']);
    expect(verdicts(diffEdited((d) => void (S(d).ItemCreate.properties.tags.maxItems = 5)))).toEqual([
      'request-max-items-decreased@breaking',
    ]);
    expect(verdicts(diffEdited((d) => void (S(d).ItemCreate.properties.price.exclusiveMinimum = 1)))).toEqual([
      'request-exclusive-min-increased@breaking',
    ]);
  });

  it('a new required request field breaks; a new optional one does not', () => {
    const required = diffEdited((d) => {
      S(d).ItemCreate.properties.sku = { type: 'string', title: 'Sku' };
      S(d).ItemCreate.required.push('sku');
    });
    expect(verdicts(required)).toEqual(['request-new-required-property@breaking']);
    const optional = diffEdited((d) => void (S(d).ItemCreate.properties.sku = { type: 'string' }));
    expect(verdicts(optional)).toEqual(['request-new-optional-property@non-breaking']);
  });

  it('type changes break in both directions', () => {
    const report = diffEdited((d) => void (S(d).Item.properties.price.type = 'string'));
    expect(verdicts(report)).toEqual(['response-type-changed@breaking']);
  });
});

describe('diff engine: nullability, both ways and in every spelling', () => {
  it('FastAPI anyOf [T, null] → T in a request is breaking; T → anyOf null in a response is breaking', () => {
    const notNull = diffEdited(
      (d) => void (S(d).ItemCreate.properties.description = { type: 'string', title: 'Description' }),
    );
    expect(verdicts(notNull)).toEqual(['request-became-not-nullable@breaking']);
    const nullable = diffEdited(
      (d) => void (S(d).Item.properties.name = { anyOf: [{ type: 'string' }, { type: 'null' }], title: 'Name' }),
    );
    expect(verdicts(nullable)).toEqual(['response-became-nullable@breaking']);
  });

  it('3.1 type [T, null] and anyOf [T, null] are the same thing', () => {
    const report = diffEdited(
      (d) => void (S(d).Item.properties.description = { type: ['string', 'null'], title: 'Description' }),
    );
    expect(report.changes).toEqual([]);
  });

  it('a $ref field wrapped in anyOf null is "became nullable", not a composition change', () => {
    const report = diffEdited(
      (d) =>
        void (S(d).Item.properties.status = { anyOf: [{ $ref: '#/components/schemas/Status' }, { type: 'null' }] }),
    );
    expect(verdicts(report)).toEqual(['response-became-nullable@breaking']);
  });

  it('3.0 nullable: true is understood', async () => {
    const { parseSpecText } = await import('../../src/adapters/openapi/load.ts');
    const { readFileSync } = await import('node:fs');
    const { diffDocuments } = await import('../../src/adapters/openapi/engine.ts');
    const base: Doc = parseSpecText(
      readFileSync(new URL('../fixtures/openapi/petstore-3.0.yaml', import.meta.url), 'utf8'),
      'pets',
    );
    const rev = structuredClone(base);
    delete rev.components.schemas.Pet.properties.tag.nullable;
    rev.paths['/pets'].get.parameters[0].schema.nullable = false;
    expect(verdicts(diffDocuments(base, rev))).toEqual([
      'request-parameter-became-not-nullable@breaking',
      'response-became-not-nullable@non-breaking',
    ]);
  });
});

describe('diff engine: enums, additionalProperties, form bodies', () => {
  it('enum value removed from a model used in requests and responses: breaking for requests, nothing lost for responses', () => {
    const report = diffEdited((d) => void (S(d).Status.enum = ['draft']));
    expect(verdicts(report)).toEqual([
      'request-enum-value-removed@breaking',
      'response-enum-value-removed@non-breaking',
    ]);
  });

  it('enum value added is a warning in responses', () => {
    const report = diffEdited((d) => void S(d).Status.enum.push('archived'));
    expect(verdicts(report)).toEqual(['request-enum-value-added@non-breaking', 'response-enum-value-added@warning']);
  });

  it('additionalProperties true → false in a request body is breaking', () => {
    expect(verdicts(diffEdited((d) => void (S(d).ItemCreate.additionalProperties = false)))).toEqual([
      'request-additional-properties-disallowed@breaking',
    ]);
  });

  it('a multipart form body field that became required, and a form media type removed', () => {
    const report = diffEdited((d) => {
      S(d).Body_upload_api_autorisen_upload_post.required.push('note');
      const body = d.paths['/api/autorisen/token'].post.requestBody.content;
      body['application/json'] = body['application/x-www-form-urlencoded'];
      delete body['application/x-www-form-urlencoded'];
    });
    expect(verdicts(report)).toEqual([
      'request-media-type-added@non-breaking',
      'request-media-type-removed@breaking',
      'request-property-became-required@breaking',
    ]);
  });
});
