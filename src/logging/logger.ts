/**
 * The application log (pino, JSON lines). It carries ids only: never names, emails, query
 * variables or clinical values. VISUS_LOG_FILE sends it to a file (the test run does, and scans
 * that file for personal data when it ends); otherwise it goes to standard output.
 */
import pino from 'pino';

const file = process.env.VISUS_LOG_FILE;

export const logger = pino(
  {
    level: process.env.LOG_LEVEL || (process.env.NODE_ENV === 'test' && !file ? 'silent' : 'info'),
    base: undefined,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'variables', 'password'], remove: true },
  },
  file ? pino.destination({ dest: file, sync: true, append: true, mkdir: true }) : undefined,
);
