/* Starts Swagger UI on the console page. Servers: the mock serving this page (when the page comes
   from a loopback host), the default mock address, then production. The mock's demo key is
   pre-authorized; a request interceptor keeps demo keys from ever going to production.
   Limits: "served by a mock" is guessed from a loopback host name; the console drops the
   contract's jsonSchemaDialect, which Swagger UI does not support. */
(function () {
  var config = window.CHAOZCODE_CONSOLE;
  var loopback = /^(127\.0\.0\.1|localhost|\[::1\])$/;

  function serverList() {
    var list = [];
    if (/^https?:$/.test(location.protocol) && loopback.test(location.hostname)) {
      list.push({ url: location.origin + '/v2', description: 'The mock serving this page' });
    }
    list.push({ url: config.mockUrl, description: 'Local mock (npm start)' });
    list.push({ url: config.productionUrl, description: 'Production (use your own key)' });
    var seen = {};
    return list.filter(function (s) { return seen[s.url] ? false : (seen[s.url] = true); });
  }

  function isDemoKey(headerValue) {
    return config.demoKeys.some(function (k) { return headerValue === 'Bearer ' + k; });
  }

  function keepDemoKeysOffProduction(request) {
    if (request.url.indexOf(config.productionUrl) === 0) {
      Object.keys(request.headers || {}).forEach(function (name) {
        if (name.toLowerCase() === 'authorization' && isDemoKey(request.headers[name])) delete request.headers[name];
      });
    }
    return request;
  }

  var spec = Object.assign({}, window.CHAOZCODE_OPENAPI, { servers: serverList() });
  // Swagger UI supports only the OpenAPI 3.1 base dialect and shows a warning box for any other
  // jsonSchemaDialect; the contract names draft 2020-12 (for Prism), which that dialect builds on.
  delete spec.jsonSchemaDialect;
  window.ui = SwaggerUIBundle({
    spec: spec,
    dom_id: '#swagger-ui',
    layout: 'BaseLayout',
    presets: [SwaggerUIBundle.presets.apis],
    deepLinking: true,
    docExpansion: 'list',
    defaultModelsExpandDepth: 0,
    displayOperationId: true,
    displayRequestDuration: true,
    filter: true,
    tryItOutEnabled: true,
    persistAuthorization: false,
    validatorUrl: null,
    requestInterceptor: keepDemoKeysOffProduction,
    onComplete: function () {
      window.ui.preauthorizeApiKey(config.securityScheme, config.demoKey);
      document.body.setAttribute('data-docs-ready', 'true');
    },
  });
})();
