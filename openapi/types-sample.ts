// A typed sample that proves the shape of the generated types (generated/api.d.ts): it must
// compile under `npm run typecheck`, and each `@ts-expect-error` line must really be an error.
// If the generator or the contract changes a shape, typecheck fails here.
// Limits: types only; nothing here runs.
import type { components, operations, paths, webhooks } from '../generated/api.d.ts';

type Schemas = components['schemas'];

// usage.totalTokens is a number on the createQuery 200 response.
export const totalTokens: Schemas['QueryResponse']['usage']['totalTokens'] = 502;
// @ts-expect-error totalTokens is a number, not a string
export const wrongTotalTokens: Schemas['QueryResponse']['usage']['totalTokens'] = '502';

type CreateQuery200 = operations['createQuery']['responses'][200]['content']['application/json'];
export const referenceResponse: CreateQuery200 = {
  id: 'query_abc123',
  text: 'REST and GraphQL are both API architectures...',
  model: 'gpt-4',
  usage: { promptTokens: 15, completionTokens: 487, totalTokens: 502 },
  finishReason: 'stop',
  createdAt: '2026-01-30T12:00:00Z',
};

// Fields with a default stay optional (openapi-typescript ran with --default-non-nullable false).
export const minimalRequest: Schemas['QueryRequest'] = { prompt: 'Explain the difference between REST and GraphQL' };
// @ts-expect-error prompt is required
export const noPrompt: Schemas['QueryRequest'] = { temperature: 0.7 };

// StreamEvent is a union keyed on `type`: narrowing reaches the done event's usage.
export function tokensOf(event: Schemas['StreamEvent']): number | undefined {
  return event.type === 'done' ? event.usage.totalTokens : undefined;
}
// @ts-expect-error "finish" is not an event type
export const badEvent: Schemas['StreamEvent'] = { type: 'finish' };

// Paths and webhooks are typed too.
export type MemoryIdParam = paths['/memory/{id}']['get']['parameters']['path']['id'];
export const memoryId: MemoryIdParam = 'project-auth-v2';
export type MemoryStoredBody = NonNullable<webhooks['memory.stored']['post']['requestBody']>['content']['application/json'];
export const storedEventType: MemoryStoredBody['type'] = 'memory.stored';
