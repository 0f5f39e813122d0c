/**
 * The application log (pino, JSON lines). It carries ids only: never names, emails, query
 * variables or clinical values.
 */
import pino from 'pino';

export const logger = pino({
  level: process.env.LOG_LEVEL || (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  base: undefined,
  redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'variables', 'password'], remove: true },
});
