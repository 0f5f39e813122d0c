/**
 * Errors that stop the server (or a script) before it serves, for the operator: one line saying what is
 * wrong and what to do, printed without a stack trace. Anything else that stops startup is a bug and keeps
 * its stack.
 */
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}

/** Runs `work`; an error it throws becomes a StartupError with its message (configuration errors are for the operator). */
export function asStartupError<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw new StartupError(error instanceof Error ? error.message : String(error), { cause: error });
  }
}
