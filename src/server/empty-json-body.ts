import type { FastifyInstance } from 'fastify';

/**
 * Lets the routes of one plugin take `Content-Type: application/json` with an empty body as `{}` (Fastify refuses
 * it with FST_ERR_CTP_EMPTY_JSON_BODY). Scripts and `curl -X POST -H 'content-type: application/json'` send exactly
 * that for "no options"; everything else goes through Fastify's own parser (with its prototype-poisoning checks).
 */
export function acceptEmptyJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (typeof body === 'string' && body.trim() === '') {
      done(null, {});
      return;
    }
    parseJson(request, typeof body === 'string' ? body : body.toString('utf8'), done);
  });
}
