import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDiffConfig } from '../../src/adapters/openapi/diff-config.ts';
import { diffDocuments } from '../../src/adapters/openapi/engine.ts';
import { applyProfile, oasdiffIdOf } from '../../src/adapters/openapi/profiles.ts';
import { isKnownRule } from '../../src/adapters/openapi/rule-catalog.ts';
import { escapeData, escapeProperty, unescapeWorkflow } from '../../src/adapters/openapi/render-ci.ts';
import type { AppError } from '../../src/errors.ts';
import type { DiffOptions } from '../../src/ports/spec-diff.ts';
import { type Doc, fastapiBase, verdicts } from './diff-helpers.ts';

const ITEM = '/api/autorisen/items/{item_id}';
const ITEMS = '/api/autorisen/items/';

function both(edit: (d: Doc) => void, options: DiffOptions = {}) {
  const base = fastapiBase();
  const rev = structuredClone(base);
  edit(rev);
  return {
    ours: verdicts(diffDocuments(base, rev, options)),
    oasdiff: verdicts(diffDocuments(base, rev, { ...options, profile: 'oasdiff' })),
  };
}

describe('checks oasdiff has, at its levels under its profile', () => {
  it('an optional parameter default added or removed breaks in both books', () => {
    const added = both((d) => void (d.paths[ITEM].get.parameters[1].schema.default = 'x'));
    expect(added).toEqual({
      ours: ['request-parameter-default-added@breaking'],
      oasdiff: ['request-parameter-default-added@breaking'],
    });
    const removed = both((d) => void delete d.paths[ITEM].get.parameters[2].schema.default);
    expect(removed.oasdiff).toEqual(['request-parameter-default-removed@breaking']);
    expect(oasdiffIdOf('request-parameter-default-removed')).toBe('request-parameter-default-value-removed');
  });

  it('a format change is a type change (breaking) under oasdiff, a warning in ours', () => {
    const r = both((d) => void (d.components.schemas.Item.properties.name.format = 'uuid'));
    expect(r.ours).toEqual(['response-format-added@non-breaking']);
    expect(r.oasdiff).toEqual(['response-format-added@breaking']);
    const changed = both((d) => {
      d.paths[ITEM].get.parameters[0].schema.format = 'uuid';
    });
    expect(changed.oasdiff).toEqual(['request-parameter-format-added@breaking']);
  });

  it('discriminator edits, tags and operationId are reported, INFO in oasdiff', () => {
    const r = both((d) => {
      const item = d.components.schemas.Item;
      item.discriminator = { propertyName: 'status', mapping: { draft: '#/components/schemas/Item' } };
      d.paths[ITEM].get.tags = ['items'];
      delete d.paths['/api/autorisen/categories/'].get.operationId;
      d.paths[ITEMS].post.operationId = 'create';
    });
    expect(r.ours).toEqual([
      'operation-id-changed@warning',
      'operation-id-removed@non-breaking',
      'response-discriminator-added@non-breaking',
      'tag-added@non-breaking',
    ]);
    expect(r.oasdiff).toEqual([
      'operation-id-changed@non-breaking',
      'operation-id-removed@non-breaking',
      'response-discriminator-added@non-breaking',
      'tag-added@non-breaking',
    ]);
  });

  it('an allOf branch holding only annotations is documentation, in both books', () => {
    const r = both((d) => {
      d.components.schemas.ItemCreate.allOf = [{ title: 'note', description: 'no validation effect' }];
    });
    expect(r).toEqual({
      ours: ['request-all-of-added-annotation-only@non-breaking'],
      oasdiff: ['request-all-of-added-annotation-only@non-breaking'],
    });
    const real = both((d) => void (d.components.schemas.ItemCreate.allOf = [{ required: ['tags'] }]));
    expect(real.ours).toEqual(['request-all-of-added@breaking']);
  });

  it('readOnly/writeOnly transitions in requests and responses', () => {
    const r = both((d) => {
      const create = d.components.schemas.ItemCreate.properties;
      create.description.readOnly = true; // optional request property → clients can no longer set it
      const item = d.components.schemas.Item.properties;
      item.tags.writeOnly = true; // optional response property → no longer returned
      item.name.readOnly = true; // a response ignores readOnly: documentation
    });
    expect(r.ours).toEqual([
      'request-optional-property-became-read-only@breaking',
      'response-optional-property-became-write-only@warning',
      'response-required-property-became-read-only@non-breaking',
    ]);
    expect(r.oasdiff).toEqual([
      'request-optional-property-became-read-only@non-breaking',
      'response-optional-property-became-write-only@non-breaking',
      'response-required-property-became-read-only@non-breaking',
    ]);
  });

  it('a required request property losing readOnly must now be sent: breaking in ours, INFO in oasdiff', () => {
    const base = fastapiBase();
    base.components.schemas.ItemCreate.properties.name.readOnly = true;
    const rev = structuredClone(base);
    delete rev.components.schemas.ItemCreate.properties.name.readOnly;
    expect(verdicts(diffDocuments(base, rev))).toEqual(['request-required-property-became-not-read-only@breaking']);
    expect(verdicts(diffDocuments(base, rev, { profile: 'oasdiff' }))).toEqual([
      'request-required-property-became-not-read-only@non-breaking',
    ]);
  });

  it('documented differences: security, tightened-from-nothing limits, removed parameters', () => {
    const r = both((d) => {
      d.paths['/health'].get.security = [{ OAuth2PasswordBearer: [] }];
      d.components.schemas.ItemCreate.properties.description.anyOf[0].maxLength = 500;
      d.paths[ITEM].get.parameters.splice(1, 1);
    });
    expect(r.ours).toEqual([
      'request-max-length-set@breaking',
      'request-parameter-removed@breaking',
      'security-added@breaking',
    ]);
    expect(r.oasdiff).toEqual([
      'request-max-length-set@warning',
      'request-parameter-removed@warning',
      'security-added@non-breaking',
    ]);
  });

  it('a response media-type schema removed is a warning in both books; added to a request, breaking', () => {
    const r = both((d) => {
      delete d.paths[ITEM].get.responses['200'].content['application/json'].schema;
      d.paths['/health'].get.requestBody = { content: { 'application/json': {} } };
    });
    expect(r.ours).toEqual(['request-body-added@non-breaking', 'response-schema-removed@warning']);
    expect(r.oasdiff).toEqual(['request-body-added@non-breaking', 'response-schema-removed@warning']);
  });
});

describe('loosely typed (non-JSON) bodies', () => {
  it('XML: a response type that was string, or a request type that becomes string, still reads', () => {
    const xml = (reqType: string, resType: string): Doc => {
      const d = fastapiBase();
      d.paths['/health'].get.requestBody = { content: { 'application/xml': { schema: { type: reqType } } } };
      d.paths['/health'].get.responses['200'].content = { 'application/xml': { schema: { type: resType } } };
      return d;
    };
    const run = (b: Doc, r: Doc) => verdicts(diffDocuments(b, r));
    expect(run(xml('object', 'string'), xml('string', 'object'))).toEqual([
      'request-type-compatible@non-breaking',
      'response-type-compatible@non-breaking',
    ]);
    // The other way round is a real type change, as it is for JSON.
    expect(run(xml('string', 'object'), xml('object', 'string'))).toEqual([
      'request-type-changed@breaking',
      'response-type-changed@breaking',
    ]);
  });
});

describe('per-rule overrides and the config file', () => {
  it('an override applies after the profile, and only to its rule', () => {
    const change = { severity: 'breaking' as const, rule: 'security-added', operation: '', location: '', message: '' };
    const other = { ...change, rule: 'endpoint-removed' };
    expect(applyProfile([change, other], 'oasdiff', { 'endpoint-removed': 'warning' })).toMatchObject([
      { severity: 'non-breaking' },
      { severity: 'warning' },
    ]);
  });

  it('parses a config file and lists every problem at once', () => {
    expect(
      parseDiffConfig('profile: oasdiff\ndeprecation-days: {beta: 31}\nrules:\n  security-added: warning\n', 'f'),
    ).toEqual({
      profile: 'oasdiff',
      deprecationDays: { beta: 31, stable: 0 },
      overrides: { 'security-added': 'warning' },
    });
    let err: AppError | undefined;
    try {
      parseDiffConfig(
        'rules:\n  security-add: warning\n  security-added: fatal\ndeprecation-days: {gamma: 1, beta: -1}\n',
        'f',
      );
    } catch (e) {
      err = e as AppError;
    }
    expect(err?.userMessage).toBe(
      'f: "deprecation-days.gamma" is not a setting (beta, stable); "deprecation-days.beta" must be a whole number of days (got -1); ' +
        '"rules.security-add" is not a rule this engine has; "rules.security-added" must be breaking, warning or non-breaking (got "fatal").',
    );
  });

  it('any key or rule id the engine does not know is refused by name (property)', () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9_-]{0,20}$/);
    fc.assert(
      fc.property(word, word, (key, rule) => {
        fc.pre(!['profile', 'deprecation-days', 'rules'].includes(key));
        expect(() => parseDiffConfig(`${key}: 1\n`, 'f')).toThrow(`"${key}" is not a setting`);
        fc.pre(!isKnownRule(rule));
        expect(() => parseDiffConfig(`rules:\n  ${rule}: warning\n`, 'f')).toThrow(
          `"rules.${rule}" is not a rule this engine has`,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('GitHub workflow-command escaping round-trips and leaves no separator unescaped', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const prop = escapeProperty(s);
        expect(unescapeWorkflow(prop)).toBe(s);
        expect(prop).not.toMatch(/[:,\r\n]/);
        const data = escapeData(s);
        expect(unescapeWorkflow(data)).toBe(s);
        expect(data).not.toMatch(/[\r\n]/);
      }),
      { numRuns: 300 },
    );
  });
});
