/* Starts Redoc on the reference page with the contract from spec.js. Theme: system fonts only,
   so Redoc asks for no web font; the build also points Redoc's footer logo at a local file. */
(function () {
  var systemFonts = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "DejaVu Sans", sans-serif';
  var monoFonts = 'ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace';
  var options = {
    scrollYOffset: 'header.docs-nav',
    expandResponses: '200,201,202,204',
    requiredPropsFirst: true,
    jsonSampleExpandLevel: 3,
    showWebhookVerb: true,
    hideDownloadButton: false,
    downloadFileName: 'openapi.json',
    theme: {
      colors: { primary: { main: '#3b3f9e' } },
      typography: {
        fontFamily: systemFonts,
        headings: { fontFamily: systemFonts },
        code: { fontFamily: monoFonts },
      },
      sidebar: { width: '280px' },
    },
  };
  var root = document.getElementById('redoc');
  Redoc.init(window.CHAOZCODE_OPENAPI, options, root, function (error) {
    document.body.setAttribute('data-docs-ready', error ? 'error' : 'true');
    if (error) console.error('Redoc could not render the contract', error);
  });
})();
