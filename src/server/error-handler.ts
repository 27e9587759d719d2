import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { classifyStoreFailure } from '../core/store-failure.js';

/** The largest request body the server reads (Fastify's bodyLimit). */
export const BODY_LIMIT_BYTES = 2 * 1024 * 1024;

/** The one error body of the REST API: `{"error":{"code","message","hint","requestId","details"}}`. */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: AppError) {
  const body = { error: { ...error.toApiJSON(), requestId: request.id } };
  const retryAfter = error.details.retryAfterSeconds;
  if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
  return reply.status(error.status).type('application/json').send(body);
}

function isFastifyError(error: unknown): error is FastifyError {
  return error instanceof Error && typeof (error as FastifyError).code === 'string' && 'statusCode' in error;
}

/**
 * Maps whatever a route threw to the error body: AppErrors keep their code and catalogue status, schema failures
 * and other client errors Fastify raises become REQUEST_INVALID, and anything else is INTERNAL with no internal
 * text (the cause goes to the log, under the same requestId).
 */
export function toHttpError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (isFastifyError(error) && error.validation) {
    return new AppError('REQUEST_INVALID', {
      message: `The request is not valid: ${error.message}`,
      details: {
        errors: error.validation.map((v) => ({
          path: v.instancePath || `/${v.params?.missingProperty ?? ''}`,
          message: v.message ?? '',
        })),
      },
    });
  }
  if (isFastifyError(error) && error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new AppError('REQUEST_TOO_LARGE', { details: { maxBytes: BODY_LIMIT_BYTES } });
  }
  if (isFastifyError(error) && (error.statusCode ?? 500) < 500) {
    return new AppError('REQUEST_INVALID', { message: error.message, details: { reason: error.code } });
  }
  return classifyStoreFailure(error) ?? new AppError('INTERNAL', { cause: error });
}

export function registerErrorHandler(app: FastifyInstance, logger: Logger): void {
  app.setErrorHandler((error, request, reply) => {
    const appError = toHttpError(error);
    if (appError.code === 'INTERNAL') {
      logger.error({ requestId: request.id, err: error, route: request.routeOptions.url }, 'unexpected error');
    }
    return sendError(request, reply, appError);
  });
}
