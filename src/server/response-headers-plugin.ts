/**
 * Response headers: session cookies set by login and logout, the request id, no caching of API
 * answers, and HSTS in production.
 */
import { ApolloServerPlugin } from '@apollo/server';
import { AppContext } from '../context/app-context';

export const responseHeadersPlugin: ApolloServerPlugin<AppContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue: ctx, response }) {
        for (const cookie of ctx.responseCookies) response.http.headers.set('set-cookie', cookie);
        response.http.headers.set('x-request-id', ctx.request.requestId);
        response.http.headers.set('cache-control', 'no-store');
        if (ctx.config.production) response.http.headers.set('strict-transport-security', 'max-age=31536000; includeSubDomains');
      },
    };
  },
};
