import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { CairnError, httpStatusOf } from '../core/errors.js';

/** The one mapping from thrown errors to `{error_code, message}` responses. */
export function errorHandler(err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply): void {
  if (err instanceof CairnError) {
    void reply.status(httpStatusOf(err.code)).send({
      error_code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}),
    });
    return;
  }
  const fe = err as FastifyError;
  if (fe.validation) {
    const where = fe.validationContext ?? 'request';
    const first = fe.validation[0];
    const field = first?.instancePath ? `${where}${first.instancePath.replaceAll('/', '.')}` : where;
    void reply.status(400).send({
      error_code: 'INVALID_ARGUMENT',
      message: `invalid ${field}: ${first?.message ?? fe.message}; see /api/v1/openapi.json for the expected shape`,
    });
    return;
  }
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    void reply.status(413).send({ error_code: 'INVALID_ARGUMENT', message: 'request body is too large; send smaller batches' });
    return;
  }
  if (fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fe instanceof SyntaxError || fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    void reply.status(400).send({ error_code: 'INVALID_ARGUMENT', message: `malformed JSON body: ${fe.message}` });
    return;
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    void reply.status(fe.statusCode).send({ error_code: 'INVALID_ARGUMENT', message: fe.message });
    return;
  }
  req.log.error({ err }, 'unhandled error');
  void reply.status(500).send({ error_code: 'INTERNAL', message: 'internal error; see the server log' });
}
