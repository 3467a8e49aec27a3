// Handlers of the query area: completions (JSON or SSE), chat with stored conversations, models.
// Streams are written by mock/streams/sse.ts after every gate has passed, so refusals stay JSON.
// Limits: chat histories grow without bound within a mock run (reset clears them).
import type { components } from '../../generated/api.d.ts';
import { ApiError } from '../pipeline/errors.ts';
import { writeQueryStream } from '../streams/sse.ts';
import { isoSeconds } from '../time.ts';
import type { HandlerContext, HandlerResult, HandlerTable } from './types.ts';

type S = components['schemas'];

function completion(ctx: HandlerContext): S['QueryResponse'] {
  const body = ctx.body as S['QueryRequest'];
  const out = ctx.services.fixtures.completions.query(body, isoSeconds(ctx.services.now()));
  ctx.account.usage.recordTokens(out.usage.promptTokens, out.usage.completionTokens);
  return out;
}

function stream(ctx: HandlerContext): HandlerResult {
  const out = completion(ctx);
  const { stream: pacing } = ctx.services.config;
  writeQueryStream(
    ctx.req,
    ctx.res,
    { id: out.id, model: out.model, createdAt: out.createdAt, text: out.text, usage: out.usage, finishReason: out.finishReason },
    {
      requestId: ctx.requestId,
      headers: ctx.responseHeaders,
      deltaDelayMs: pacing.deltaDelayMs,
      keepAliveMs: pacing.keepAliveMs,
      failAfterDeltas: ctx.prefs?.streamFailAfter,
    },
  );
  return { streamed: true };
}

export const queryHandlers: HandlerTable = {
  createQuery: (ctx) => ((ctx.body as S['QueryRequest']).stream === true ? stream(ctx) : { status: 200, body: completion(ctx) }),

  streamQuery: (ctx) => stream(ctx),

  createChatCompletion: (ctx) => {
    const body = ctx.body as S['ChatRequest'];
    const store = ctx.account.conversations;
    let conversationId = body.conversationId;
    let history: S['ChatMessage'][] = [];
    if (conversationId !== undefined) {
      const known = store.get(conversationId);
      if (!known) throw new ApiError('NOT_FOUND', `Conversation '${conversationId}' not found`);
      history = known;
    } else {
      conversationId = ctx.services.fixtures.source.id('conv_', JSON.stringify(body.messages));
    }
    const messages = [...history, ...body.messages];
    const out = ctx.services.fixtures.completions.chat(messages, body, conversationId, isoSeconds(ctx.services.now()));
    store.set(conversationId, [...messages, { role: 'assistant', content: out.message.content }]);
    ctx.account.usage.recordTokens(out.usage.promptTokens, out.usage.completionTokens);
    return { status: 200, body: out };
  },

  listModels: (ctx) => ({ status: 200, json: ctx.services.fixtures.modelsJson }),
};
