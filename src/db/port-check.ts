/**
 * Checks before start that a TCP port is free, so a second `npm start` on the same port (or another
 * program holding it) stops at once with one clear line instead of after the databases are up.
 */
import net from 'node:net';
import { StartupError } from '../errors/startup-error';

/** Resolves when `port` can be listened on (on `host`, or every address when omitted); else a StartupError built by `explain`. */
export function assertPortFree(port: number, host: string | undefined, explain: (code: string) => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => reject(new StartupError(explain(error.code ?? error.message), { cause: error })));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/** The operator's line for a port the server cannot listen on (EADDRINUSE, EACCES). */
export function portProblem(port: number, variable: string, what: string, code: string): string {
  if (code === 'EADDRINUSE') {
    return `port ${port} (${what}) is already in use, probably by another Visus server: stop it, or set ${variable} to a free port.`;
  }
  if (code === 'EACCES') return `port ${port} (${what}) may not be used by this user: set ${variable} to a port above 1023.`;
  return `port ${port} (${what}) cannot be listened on (${code}): set ${variable} to another port.`;
}
