/**
 * Limits on what one GraphQL document may ask for (graphql-armor): depth, aliases, directives and a
 * cost estimate, so a single request cannot fan out into thousands of list reads; and the number of
 * tokens, which the GraphQL parser itself enforces (Apollo's `parseOptions.maxTokens`, src/server/apollo.ts):
 * graphql-armor's token limit throws from a plugin hook, which Apollo answers with HTTP 500.
 * Field suggestions ("did you mean …") are blocked too: they describe the schema to strangers.
 */
import { ApolloArmor } from '@escape.tech/graphql-armor';

export const QUERY_LIMITS = {
  maxDepth: 10,
  maxAliases: 15,
  maxDirectives: 50,
  maxTokens: 5000,
  maxCost: 50000,
};

export function queryLimitProtection(): ReturnType<ApolloArmor['protect']> {
  return new ApolloArmor({
    maxDepth: { n: QUERY_LIMITS.maxDepth },
    maxAliases: { n: QUERY_LIMITS.maxAliases },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives },
    maxTokens: { enabled: false },
    costLimit: { maxCost: QUERY_LIMITS.maxCost },
    blockFieldSuggestion: { enabled: true },
  }).protect();
}
