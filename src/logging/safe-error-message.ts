/**
 * Error messages for the application log with quoted values removed: database and GraphQL errors
 * quote the offending value (`invalid input syntax for type uuid: "…"`), which can be personal data.
 */
export function safeErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/"[^"]*"|'[^']*'/g, '"…"').slice(0, 500);
}
