// Fixtures made through the API under test: a memory, project, agent, webhook or API key to
// exercise the operations that need an existing id. Shared fixtures are created once per run
// (lazily, with the `full` key); `fresh` ones are for destructive calls (DELETE, cancel).
// Everything created is deleted again at the end of the run (best effort).
// Limits: the kind of a path parameter is known from its name (D10's five resources).
import type { OperationInfo, SpecIndex } from './spec.ts';
import type { Exchange, OutgoingRequest } from './types.ts';
import type { SecretRing } from './redact.ts';
import { anyValidBody, fillPath, uniqueToken } from './request-builder.ts';

export type ResourceKind = 'memory' | 'project' | 'agent' | 'webhook' | 'apiKey';

export interface Resource {
  kind: ResourceKind;
  id: string;
  /** The full API key, for `apiKey` resources (registered as a secret). */
  key?: string;
  created: Exchange;
}

export type CreateResult = { resource: Resource } | { error: string; exchange?: Exchange };

interface KindInfo {
  create: string;
  remove?: string;
  param: string;
  idFrom: (req: any, res: any) => unknown;
}

const KINDS: Record<ResourceKind, KindInfo> = {
  memory: { create: 'storeMemory', remove: 'deleteMemory', param: 'id', idFrom: (req) => req?.id },
  project: { create: 'createProject', remove: 'deleteProject', param: 'projectId', idFrom: (_q, res) => res?.id },
  agent: { create: 'spawnAgent', remove: 'cancelAgent', param: 'agentId', idFrom: (_q, res) => res?.agentId },
  webhook: { create: 'createWebhook', remove: 'deleteWebhook', param: 'webhookId', idFrom: (_q, res) => res?.id },
  apiKey: { create: 'createApiKey', remove: 'revokeApiKey', param: 'keyId', idFrom: (_q, res) => res?.id },
};

/** The resource kind a path parameter refers to. */
export function kindOfParam(name: string): ResourceKind | undefined {
  return (Object.keys(KINDS) as ResourceKind[]).find((k) => KINDS[k].param === name);
}

export interface ResourceHost {
  spec: SpecIndex;
  runId: string;
  secrets: SecretRing;
  webhookUrl: string;
  send(req: OutgoingRequest): Promise<Exchange>;
  onCleanup(fn: () => Promise<unknown>): void;
}

export class ResourceFactory {
  private readonly shared = new Map<ResourceKind, Promise<CreateResult>>();

  constructor(private readonly host: ResourceHost) {}

  /** The URL webhooks created by the run deliver to (a local sink, or the configured public URL). */
  get webhookUrl(): string {
    return this.host.webhookUrl;
  }

  /** The run's shared fixture of a kind (created on first use). Do not delete it. */
  get(kind: ResourceKind): Promise<CreateResult> {
    let p = this.shared.get(kind);
    if (!p) {
      p = this.create(kind, 'fixture');
      this.shared.set(kind, p);
    }
    return p;
  }

  /** A new resource, owned by the caller (cleaned up at the end unless already gone). */
  async create(kind: ResourceKind, label: string, overrides: Record<string, unknown> = {}): Promise<CreateResult> {
    const info = KINDS[kind];
    const op = this.host.spec.operation(info.create);
    if (!op) return { error: `the contract has no ${info.create} operation` };
    const body = this.body(kind, op, label, overrides);
    if (body === undefined) return { error: `no valid ${info.create} body could be built from the contract` };
    const ex = await this.host.send({ method: op.method, path: op.path, json: body, operationId: op.operationId });
    const status = ex.response?.status;
    if (!status || status < 200 || status > 299) {
      return { error: `${info.create} answered ${status ?? ex.error?.message}`, exchange: ex };
    }
    const id = info.idFrom(body, ex.response?.json);
    if (typeof id !== 'string' || !id) return { error: `${info.create}'s answer carries no id`, exchange: ex };
    const key = kind === 'apiKey' ? (ex.response?.json as { key?: string })?.key : undefined;
    this.host.secrets.add(key);
    if (kind === 'webhook') this.host.secrets.add((ex.response?.json as { secret?: string })?.secret);
    this.host.onCleanup(() => this.remove(kind, id));
    return { resource: { kind, id, key, created: ex } };
  }

  /** Take charge of a resource another check created (secrets redacted, deleted at the end). */
  adopt(operationId: string, requestBody: unknown, responseBody: unknown): void {
    const kind = (Object.keys(KINDS) as ResourceKind[]).find((k) => KINDS[k].create === operationId);
    if (!kind) return;
    const id = KINDS[kind].idFrom(requestBody, responseBody);
    const res = responseBody as { key?: string; secret?: string } | undefined;
    this.host.secrets.add(res?.key);
    this.host.secrets.add(res?.secret);
    if (typeof id === 'string' && id) this.host.onCleanup(() => this.remove(kind, id));
  }

  /** The concrete path of `op` for a resource of the right kind (shared or fresh). */
  async pathFor(op: OperationInfo, fresh: boolean, label = 'fresh'): Promise<{ path: string } | { error: string }> {
    const values: Record<string, string> = {};
    for (const p of op.parameters.filter((x) => x.in === 'path')) {
      const kind = kindOfParam(p.name);
      if (!kind) return { error: `no fixture is known for path parameter ${p.name}` };
      const r = fresh ? await this.create(kind, label) : await this.get(kind);
      if ('error' in r) return { error: `could not create a ${kind} to test with: ${r.error}` };
      values[p.name] = r.resource.id;
    }
    return { path: fillPath(op.path, values) };
  }

  private body(kind: ResourceKind, op: OperationInfo, label: string, overrides: Record<string, unknown>): unknown {
    const base = anyValidBody(this.host.spec, op, this.host.runId, label, this.host.webhookUrl) as Record<string, unknown> | undefined;
    if (!base) return undefined;
    const extra: Record<string, unknown> = {};
    if (kind === 'memory') extra.id = uniqueToken(this.host.runId, `conf-${label}`);
    if (kind === 'project') extra.name = `Conformance ${uniqueToken(this.host.runId, label)}`;
    if (kind === 'webhook') extra.url = this.host.webhookUrl;
    if (kind === 'apiKey') Object.assign(extra, { name: `conformance ${uniqueToken(this.host.runId, label)}`, type: 'development', scopes: undefined });
    const body = { ...base, ...extra, ...overrides };
    for (const [k, v] of Object.entries(body)) if (v === undefined) delete body[k];
    return body;
  }

  private async remove(kind: ResourceKind, id: string): Promise<void> {
    const name = KINDS[kind].remove;
    const op = name ? this.host.spec.operation(name) : undefined;
    if (!op) return;
    await this.host.send({ method: op.method, path: fillPath(op.path, { [KINDS[kind].param]: id }), operationId: op.operationId });
  }
}
