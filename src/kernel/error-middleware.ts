import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, NotFoundError } from './errors';

/** Body-parser failures carry a status and a type; they are the client's mistakes, not ours. */
interface HttpishError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
}

function fromHttpError(err: HttpishError): AppError | null {
  const status = err.status ?? err.statusCode;
  if (!status || status < 400 || status >= 500) return null;
  if (err.type === 'entity.too.large') return new AppError('PAYLOAD_TOO_LARGE', 'The request body is too large');
  if (err.type === 'entity.parse.failed') return new AppError('MALFORMED_JSON', 'The request body is not valid JSON');
  if (status === 412)
    return new AppError('PRECONDITION_FAILED', 'The If-Match or If-Unmodified-Since condition does not hold');
  if (err.type === 'encoding.unsupported' || err.type === 'charset.unsupported') {
    return new AppError('UNSUPPORTED_ENCODING', 'Unsupported body encoding');
  }
  return new AppError('BAD_REQUEST', 'The request could not be read');
}

export const notFoundHandler: RequestHandler = (req) => {
  throw new NotFoundError(`Route ${req.method} ${req.path}`);
};

/** The one place errors become responses: AppErrors as they are, anything unknown as a bare 500. */
export const errorHandler: ErrorRequestHandler = (err: unknown, req, res, _next) => {
  const appError = err instanceof AppError ? err : fromHttpError(err as HttpishError);
  // A file being sent may have set its own type before failing (a 412 on If-Match): errors are JSON.
  res.type('application/json');
  if (appError) {
    // A server-side failure (the database away) is worth a warning, with what caused it.
    if (appError.status >= 500) req.log?.warn({ code: appError.code, err: appError.cause }, appError.message);
    else req.log?.info({ code: appError.code, status: appError.status }, appError.message);
    if (appError.retryAfterSeconds !== undefined) res.set('Retry-After', String(appError.retryAfterSeconds));
    res.status(appError.status).json({
      error: {
        code: appError.code,
        message: appError.message,
        ...(appError.details !== undefined && { details: appError.details }),
      },
    });
    return;
  }
  req.log?.error({ err }, 'unhandled error');
  res.status(500).json({ error: { code: 'INTERNAL', message: 'Internal server error' } });
};
