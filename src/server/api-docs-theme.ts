/**
 * The branding of the API docs page (/api/docs, @fastify/swagger-ui): gatehouse's name, colours and icon, and its
 * logo links back to the console, so the page reads as part of gatehouse rather than a stock Swagger UI.
 */
const ICON_PATH = 'M8 26V12l8-6 8 6v14h-5v-8h-6v8z';

const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1f4e8c"/><path d="${ICON_PATH}" fill="#fff"/></svg>`;

const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" width="230" height="36" viewBox="0 0 230 36"><title>gatehouse API (back to the console)</title><rect x="2" y="2" width="32" height="32" rx="6" fill="#fff"/><path d="${ICON_PATH}" transform="translate(2 2)" fill="#1f4e8c"/><text x="44" y="25" font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" font-size="20" font-weight="700" fill="#fff">gatehouse</text><text x="150" y="25" font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" font-size="20" fill="#dbe6f5">API</text></svg>`;

// The console's palette (src/web/app/styles.css): the brand blue top bar, system fonts, visible focus.
const CSS = `
.swagger-ui .topbar { background: #1f4e8c; padding: 6px 0; }
.swagger-ui .topbar .download-url-wrapper { display: none; }
.swagger-ui .topbar a { max-width: 260px; }
.swagger-ui, .swagger-ui .info .title, .swagger-ui .opblock-tag { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.swagger-ui .info .title { color: #1b2430; }
.swagger-ui .info a { color: #1f4e8c; }
.swagger-ui .btn.authorize { color: #1f4e8c; border-color: #1f4e8c; }
.swagger-ui .btn.authorize svg { fill: #1f4e8c; }
.swagger-ui :focus-visible { outline: 3px solid #2b6cd4; outline-offset: 1px; }
`;

// The plugin puts our logo in Swagger UI's top bar but leaves that link pointing at swagger.io: send it (and a text
// link for screen readers) back to the console instead.
const JS = `
(function () {
  function relink() {
    var link = document.querySelector('#swagger-ui .topbar .topbar-wrapper > a.link');
    if (!link || link.getAttribute('href') === '/connections') return false;
    link.setAttribute('href', '/connections');
    link.removeAttribute('target');
    link.setAttribute('aria-label', 'gatehouse: back to the console');
    return true;
  }
  var tries = 0;
  var timer = setInterval(function () {
    if (relink() || ++tries > 100) clearInterval(timer);
  }, 100);
})();
`;

export const API_DOCS_THEME = {
  theme: {
    title: 'gatehouse API',
    css: [{ filename: 'gatehouse.css', content: CSS }],
    js: [{ filename: 'gatehouse.js', content: JS }],
    favicon: [
      { filename: 'favicon.svg', rel: 'icon', type: 'image/svg+xml', sizes: 'any', content: Buffer.from(FAVICON) },
    ],
  },
  logo: { type: 'image/svg+xml', content: Buffer.from(LOGO), href: '/connections', target: '_self' as const },
};

/** The OpenAPI document's description: where the docs sit among gatehouse's other surfaces. */
export const API_DESCRIPTION = [
  'Microsoft Entra ID connections, directory sync, membership checks and identity actions.',
  '',
  "Authenticate with an API token (`Authorization: Bearer …`, created on the console's Accounts & tokens page or with",
  "`gatehouse accounts token create`), or use the console's session. Every error answers",
  '`{"error":{"code","message","hint","details","requestId"}}`; the codes are listed in docs/errors.md.',
  '',
  '[Back to the console](/connections)',
].join('\n');
