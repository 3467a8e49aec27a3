// Handlers of the codebase area: analyze, generate, review and fix, over the code really sent.
// Limits: see the fixture files (mock/fixtures/codebase-*.ts).
import type { components } from '../../generated/api.d.ts';
import type { HandlerTable } from './types.ts';

type S = components['schemas'];

export const codebaseHandlers: HandlerTable = {
  analyzeCodebase: (ctx) => ({ status: 200, body: ctx.services.fixtures.analyze(ctx.body as S['CodebaseAnalyzeRequest']) }),
  generateCode: (ctx) => {
    const out = ctx.services.fixtures.generate(ctx.body as S['CodebaseGenerateRequest']);
    if (out.usage) ctx.account.usage.recordTokens(out.usage.promptTokens, out.usage.completionTokens);
    return { status: 200, body: out };
  },
  reviewCode: (ctx) => ({ status: 200, body: ctx.services.fixtures.review(ctx.body as S['CodebaseReviewRequest']) }),
  fixCode: (ctx) => ({ status: 200, body: ctx.services.fixtures.fix(ctx.body as S['CodebaseFixRequest']) }),
};
