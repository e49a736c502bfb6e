/**
 * The two OpenAPI documents the sandbox's capecraft serves, shaped like FastAPI's output (OpenAPI
 * 3.1, `<name>_<path>_<method>` operation ids, HTTPValidationError on 422). The revision that staging
 * runs adds a required `sku` to ItemCreate (breaking: old clients' requests are now rejected) and a
 * widgets listing (non-breaking), so `/autorisen diff` has something real to say.
 */

type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const jsonBody = (schema: Json): Json => ({ 'application/json': { schema } });
const ok = (schema: Json): Json => ({ description: 'Successful Response', content: jsonBody(schema) });
const invalid: Json = { description: 'Validation Error', content: jsonBody(ref('HTTPValidationError')) };

/** The contract before the widgets work: what production runs. */
export function specBeforeWidgets(): Json {
  return {
    openapi: '3.1.0',
    info: { title: 'capecraft', version: '0.1.0' },
    paths: {
      '/api/autorisen/items/{item_id}': {
        get: {
          summary: 'Read Item',
          operationId: 'read_item_api_autorisen_items__item_id__get',
          parameters: [{ name: 'item_id', in: 'path', required: true, schema: { type: 'integer', title: 'Item Id' } }],
          responses: { '200': ok(ref('Item')), '422': invalid },
        },
      },
      '/api/autorisen/items/': {
        post: {
          summary: 'Create Item',
          operationId: 'create_item_api_autorisen_items__post',
          requestBody: { required: true, content: jsonBody(ref('ItemCreate')) },
          responses: { '200': ok(ref('Item')), '422': invalid },
        },
      },
      '/healthz': {
        get: {
          summary: 'Healthz',
          operationId: 'healthz_healthz_get',
          responses: {
            '200': ok({
              type: 'object',
              additionalProperties: { type: 'string' },
              title: 'Response Healthz Healthz Get',
            }),
          },
        },
      },
    },
    components: {
      schemas: {
        HTTPValidationError: {
          properties: { detail: { items: ref('ValidationError'), type: 'array', title: 'Detail' } },
          type: 'object',
          title: 'HTTPValidationError',
        },
        Item: {
          properties: {
            id: { type: 'integer', title: 'Id' },
            name: { type: 'string', title: 'Name' },
            price: { type: 'number', title: 'Price' },
          },
          type: 'object',
          required: ['id', 'name', 'price'],
          title: 'Item',
        },
        ItemCreate: {
          properties: {
            name: { type: 'string', maxLength: 100, minLength: 1, title: 'Name' },
            price: { type: 'number', exclusiveMinimum: 0, title: 'Price' },
          },
          type: 'object',
          required: ['name', 'price'],
          title: 'ItemCreate',
        },
        ValidationError: {
          properties: {
            loc: { items: { anyOf: [{ type: 'string' }, { type: 'integer' }] }, type: 'array', title: 'Location' },
            msg: { type: 'string', title: 'Message' },
            type: { type: 'string', title: 'Error Type' },
          },
          type: 'object',
          required: ['loc', 'msg', 'type'],
          title: 'ValidationError',
        },
      },
    },
  };
}

/** The contract with the widgets work: what staging runs (one breaking, one non-breaking change). */
export function specWithWidgets(): Json {
  const doc = specBeforeWidgets() as {
    paths: Record<string, unknown>;
    components: { schemas: Record<string, Json & { properties: Json; required: string[] }> };
  };
  const create = doc.components.schemas.ItemCreate!;
  create.properties.sku = { type: 'string', title: 'Sku' };
  create.required.push('sku');
  doc.components.schemas.Widget = {
    properties: { id: { type: 'integer', title: 'Id' }, label: { type: 'string', title: 'Label' } },
    type: 'object',
    required: ['id', 'label'],
    title: 'Widget',
  };
  doc.paths['/api/autorisen/widgets/'] = {
    get: {
      summary: 'List Widgets',
      operationId: 'list_widgets_api_autorisen_widgets__get',
      responses: { '200': ok({ type: 'array', items: ref('Widget'), title: 'Response List Widgets' }) },
    },
  };
  return doc as unknown as Json;
}
