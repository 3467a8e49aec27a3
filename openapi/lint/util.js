// Helpers shared by the house lint rules (openapi/lint/rules/*.js).
// Rules see resolved nodes, but the children of a node are raw: they may still be `$ref`
// objects, relative to the file the parent came from. These helpers resolve them against the
// right file and tell whether a `$ref` lands on a named shared component.
// Limits: a `$ref` that points at another `$ref` (a chain) is followed by Redocly's resolver;
// we only inspect where the first hop lands.

/** True for a JSON Reference object. */
export function isRef(node) {
  return node !== null && typeof node === 'object' && typeof node.$ref === 'string';
}

/**
 * Resolve `node` relative to `base` (the absoluteRef of the file that contains it).
 * Returns { node, file, pointer, viaRef }: `file`/`pointer` name where the node lives.
 */
export function resolveFrom(ctx, node, base) {
  if (!isRef(node)) return { node, file: base, pointer: undefined, viaRef: false };
  const resolved = ctx.resolve(node, base);
  const loc = resolved.location;
  return {
    node: resolved.node,
    file: loc ? loc.source.absoluteRef : base,
    pointer: loc ? loc.pointer : undefined,
    viaRef: true,
  };
}

/**
 * True when a resolved `$ref` target is the shared component `kind/name`: either the split
 * file `components/<kind>/<name>.yaml|json` or the pointer `#/components/<kind>/<name>`.
 */
export function isSharedComponent(target, kind, name) {
  if (!target.viaRef) return false;
  const file = String(target.file).replaceAll('\\', '/');
  const pointer = target.pointer ?? '';
  if (pointer === `#/components/${kind}/${name}`) return true;
  const atFileRoot = pointer === '' || pointer === '#/' || pointer === '#';
  return atFileRoot && new RegExp(`/components/${kind}/${name}\\.(ya?ml|json)$`).test(file);
}

/** Lower-cased header names declared on a resolved response. */
export function headerNames(response) {
  const headers = response && typeof response.headers === 'object' ? response.headers : {};
  return new Set(Object.keys(headers).map((h) => h.toLowerCase()));
}

/** True when the operation needs credentials: its effective `security` has a non-empty requirement. */
export function isAuthenticated(operation, rootSecurity) {
  const security = Array.isArray(operation.security) ? operation.security : rootSecurity;
  if (!Array.isArray(security) || security.length === 0) return false;
  // `{}` in the list means "anonymous allowed": such an operation does not require auth.
  return !security.some((req) => req && typeof req === 'object' && Object.keys(req).length === 0);
}

/** Status class of a response key: '2', '4', '5', ... ('default' gives 'default'). */
export function statusClass(code) {
  const key = String(code);
  return key === 'default' ? 'default' : key.charAt(0);
}

/**
 * Builds the visitor shape every house rule uses: operations under `paths` only (not webhooks,
 * not callbacks), with the path, the method, the root-level security and a helper to walk the
 * responses already resolved.
 */
export function pathOperationVisitor(check) {
  let rootSecurity;
  let currentPath = '';
  return {
    Root: {
      enter(root) {
        rootSecurity = root.security;
      },
    },
    Paths: {
      PathItem: {
        enter(_item, ctx) {
          currentPath = String(ctx.key);
        },
        Operation: {
          enter(operation, ctx) {
            const method = String(ctx.key).toUpperCase();
            const base = ctx.location.source.absoluteRef;
            const responses = resolveFrom(ctx, operation.responses ?? {}, base);
            const entries = Object.entries(responses.node ?? {}).map(([code, raw]) => ({
              code: String(code),
              raw,
              resolved: resolveFrom(ctx, raw, responses.file),
              location: ctx.location.child(['responses', String(code)]),
            }));
            check({
              operation,
              ctx,
              method,
              path: currentPath,
              label: `${method} ${currentPath}`,
              authenticated: isAuthenticated(operation, rootSecurity),
              responses: entries,
            });
          },
        },
      },
    },
  };
}
