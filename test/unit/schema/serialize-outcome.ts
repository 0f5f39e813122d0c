/**
 * What a scalar's serialise call gave, as data: its value, or the message it threw. The scalar tests compare
 * the project's scalars with graphql-scalars' through it, refusals included.
 */
export type Outcome = { value: unknown } | { error: string };

export const outcome = (serialize: () => unknown): Outcome => {
  try {
    return { value: serialize() };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
};
