import { describe, expect, it } from 'vitest';
import { diffDocuments } from '../../src/adapters/openapi/engine.ts';
import { parseSpecText } from '../../src/adapters/openapi/load.ts';
import type { AppError } from '../../src/errors.ts';
import { diffEdited, fastapiBase, verdicts, withRule } from './diff-helpers.ts';

const ITEM = '/api/autorisen/items/{item_id}';

describe('diff engine: paths and parameters', () => {
  it('renaming a path parameter is not a change', () => {
    const report = diffEdited((d) => {
      d.paths['/api/autorisen/items/{id}'] = d.paths[ITEM];
      delete d.paths[ITEM];
      d.paths['/api/autorisen/items/{id}'].get.parameters[0].name = 'id';
    });
    expect(report.changes).toEqual([]);
  });

  it('removed endpoint breaks; added endpoint does not', () => {
    const report = diffEdited((d) => {
      delete d.paths['/api/autorisen/upload'];
      d.paths['/api/autorisen/new'] = { get: { responses: { '200': { description: 'ok' } } } };
    });
    expect(verdicts(report)).toEqual(['endpoint-added@non-breaking', 'endpoint-removed@breaking']);
  });

  it('parameter rules: optional → required, new required, removed, enum, max tightened, default changed', () => {
    const report = diffEdited((d) => {
      const ps = d.paths[ITEM].get.parameters;
      ps[1].required = true; // q
      ps[2].schema.maximum = 50; // limit
      ps[2].schema.default = 10;
      ps.push({ name: 'X-Tenant', in: 'header', required: true, schema: { type: 'string' } });
    });
    expect(verdicts(report)).toEqual([
      'request-parameter-added-required@breaking',
      'request-parameter-became-required@breaking',
      'request-parameter-default-changed@breaking',
      'request-parameter-max-decreased@breaking',
    ]);
    expect(withRule(report, 'request-parameter-became-required')[0]!.location).toBe('query.q');
    const removed = diffEdited((d) => void d.paths[ITEM].get.parameters.splice(2, 1));
    expect(verdicts(removed)).toEqual(['request-parameter-removed@breaking']);
  });
});

describe('diff engine: request bodies, responses, security, deprecation', () => {
  it('request body required flag and removal', () => {
    const report = diffEdited((d) => void (d.paths['/api/autorisen/items/'].post.requestBody.required = false));
    expect(verdicts(report)).toEqual(['request-body-became-optional@non-breaking']);
    const removed = diffEdited((d) => void delete d.paths['/api/autorisen/items/'].post.requestBody);
    expect(verdicts(removed)).toEqual(['request-body-removed@breaking']);
  });

  it('a success status removed breaks; an error status removed is a warning', () => {
    const report = diffEdited((d) => {
      const r = d.paths[ITEM].get.responses;
      r['201'] = r['200'];
      delete r['200'];
      delete r['422'];
    });
    expect(verdicts(report)).toEqual([
      'response-non-success-status-removed@warning',
      'response-status-added@non-breaking',
      'response-status-removed@breaking',
    ]);
  });

  it('auth added to an open endpoint is breaking; scopes added are breaking', () => {
    const report = diffEdited(
      (d) => void (d.paths['/api/autorisen/categories/'].get.security = [{ OAuth2PasswordBearer: [] }]),
    );
    expect(verdicts(report)).toEqual(['security-added@breaking']);
    const scopes = diffEdited(
      (d) => void (d.paths['/api/autorisen/items/'].post.security = [{ OAuth2PasswordBearer: ['items:write'] }]),
    );
    expect(verdicts(scopes)).toEqual(['security-scopes-added@breaking']);
  });

  it('a deprecated endpoint is reported as non-breaking; operationId renamed is a warning', () => {
    const report = diffEdited((d) => {
      d.paths[ITEM].get.deprecated = true;
      d.paths[ITEM].get.operationId = 'get_item';
    });
    expect(verdicts(report)).toEqual(['endpoint-deprecated@non-breaking', 'operation-id-changed@warning']);
  });
});

describe('diff engine: the rollout namespace', () => {
  it('reports paths added or changed outside /api/autorisen/', () => {
    const report = diffEdited((d) => {
      d.paths['/api/other'] = { get: { responses: { '200': { description: 'ok' } } } };
      d.paths['/health'].get.responses['200'].content['application/json'].schema.additionalProperties = {
        type: 'integer',
      };
      d.paths['/api/autorisen/new'] = { get: { responses: { '200': { description: 'ok' } } } };
    });
    expect(report.namespaceFindings!.map((f) => `${f.rule} ${f.operation}`).sort()).toEqual([
      'namespace-path-added-outside GET /api/other',
      'namespace-path-changed-outside GET /health',
    ]);
  });

  it('a route moved out of the namespace is one finding, not a removal plus an addition', () => {
    const report = diffEdited((d) => {
      d.paths['/api/categories/'] = d.paths['/api/autorisen/categories/'];
      delete d.paths['/api/autorisen/categories/'];
    });
    expect(verdicts(report)).toEqual(['namespace-route-moved-out@breaking']);
    expect(report.namespaceFindings!.map((f) => f.rule)).toEqual(['namespace-route-moved-out']);
    expect(report.changes[0]!.message).toContain('GET /api/autorisen/categories/');
  });

  it('the namespace is configurable', () => {
    const report = diffEdited(
      (d) => void (d.paths['/api/autorisen/x'] = { get: { responses: { '200': { description: 'ok' } } } }),
      fastapiBase(),
      '/internal/',
    );
    expect(report.namespaceFindings!.map((f) => f.rule)).toEqual(['namespace-path-added-outside']);
  });
});

describe('diff engine: bad input', () => {
  const fail = (base: unknown, rev: unknown): AppError => {
    try {
      diffDocuments(base, rev);
    } catch (err) {
      return err as AppError;
    }
    throw new Error('expected an error');
  };

  it('refuses Swagger 2.0 with advice', () => {
    const err = fail({ swagger: '2.0', paths: {} }, fastapiBase());
    expect(err.code).toBe('spec_invalid');
    expect(err.userMessage).toMatch(/Swagger 2\.0.*OpenAPI 3\.0 and 3\.1/);
  });

  it('refuses documents that are not OpenAPI, and unresolvable $refs', () => {
    expect(fail({ hello: 1 }, fastapiBase()).userMessage).toMatch(/not an OpenAPI document/);
    const broken = fastapiBase();
    broken.components.schemas.Item.properties.category.$ref = '#/components/schemas/Nope';
    expect(fail(fastapiBase(), broken).userMessage).toMatch(
      /revision document has an unresolvable \$ref "#\/components\/schemas\/Nope"/,
    );
  });

  it('invalid JSON and YAML give a one-line reason', () => {
    expect(() => parseSpecText('{"openapi": ', 'base.json')).toThrow(/base.json is not valid JSON/);
    expect(() => parseSpecText('a: [1,\n b', 'rev.yaml')).toThrow(/rev.yaml is neither valid JSON nor valid YAML/);
  });
});
