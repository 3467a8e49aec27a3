// Validators for named component schemas of the bundled contract (generated/openapi.json), built
// with openapi/spec.ts's createAjv(): `StreamEvent` for stream payloads, the `WebhookEvent*` bodies
// and `WebhookTestResult` for webhooks. Test and bench support, not used by the server.
// Limits: reads the bundle as built; run `npm run build` after editing openapi/.
import { createAjv, schemaRef } from '../../openapi/spec.ts';

export type SchemaCheck = (value: unknown) => string[];

let ajv: ReturnType<typeof createAjv> | undefined;

/** Problems of `value` against `#/components/schemas/<name>`; empty when valid. */
export function contractSchema(name: string): SchemaCheck {
  ajv ??= createAjv();
  const validate = ajv.getSchema(schemaRef(name));
  if (!validate) throw new Error(`schema ${name} is not in the bundled contract`);
  return (value) => {
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
  };
}

/** `memory.stored` -> `WebhookEventMemoryStored`, `webhook.test` -> `WebhookEventWebhookTest`. */
export function webhookEventSchemaName(type: string): string {
  const pascal = type.split(/[._]/).map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
  return `WebhookEvent${pascal}`;
}
