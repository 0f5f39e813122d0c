/**
 * The GraphiQL IDE's own page, bootstrap script and style sheet, as served by src/server/graphiql-route.ts.
 * Every reference is a relative, same-origin path (the page works offline and behind a path prefix);
 * the bootstrap runs GraphiQL against this server's /graphql with the session cookie, and opens with a
 * sign-in tab for a demo user.
 */

/** Where the IDE's files are served, relative to the page (`/graphiql` or `/graphql`). */
export const GRAPHIQL_ASSET_DIR = 'graphiql/assets';

export const SIGN_IN_QUERY = `# Welcome to the Visus GraphQL API.
#
# Sign in first: press the run button (or Ctrl+Enter).
# The answer sets an HttpOnly session cookie, which this
# page sends with every later request. Signing in ends
# this user's other session (one browser at a time).
#
# Other demo users, same password (@clearview.example):
# north.manager, leeds.manager, leeds.optometrist,
# leeds.assistant, leeds.reception, dpo, bi; and
# manager@lakeside.example (another chain).
# mfa.optometrist has TOTP on: her login answers
# mfaRequired and a challenge for verifyMfa (README,
# "Try MFA").
mutation SignIn {
  login(
    email: "chain.manager@clearview.example"
    password: "Visus-demo-2026!"
  ) {
    expiresAt
    user { name email }
  }
}
`;

export const FIRST_QUERY = `# Once signed in: who am I, and the first customers
# I may see. A field my role may not read comes back
# null, with a FORBIDDEN error at its path.
query FirstLook {
  me { name email }
  customers(first: 5) {
    totalCount
    edges { node { id firstName lastName } }
  }
}
`;

export const SIGN_OUT_QUERY = `# Ends the session and clears the cookie.
mutation SignOut {
  logout
}
`;

/** The tabs a first visit opens with (GraphiQL keeps the user's own tabs in localStorage after that). */
export const DEFAULT_TABS: readonly { query: string }[] = [{ query: SIGN_IN_QUERY }, { query: FIRST_QUERY }, { query: SIGN_OUT_QUERY }];

/**
 * The page, per request: `nonce` (fresh each time) marks the bootstrap script, which hands it to GraphiQL's
 * dialogs for the one <style> element they add (the scroll lock), so the policy needs no 'unsafe-inline'.
 */
export function graphiqlHtml(nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Visus GraphiQL</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${GRAPHIQL_ASSET_DIR}/graphiql.min.css">
<link rel="stylesheet" href="${GRAPHIQL_ASSET_DIR}/visus-graphiql.css">
</head>
<body>
<div id="graphiql">Loading the GraphiQL IDE…</div>
<noscript>The GraphiQL IDE needs JavaScript. Without it, POST queries to /graphql (see docs/front-end.md).</noscript>
<script src="${GRAPHIQL_ASSET_DIR}/react.production.min.js"></script>
<script src="${GRAPHIQL_ASSET_DIR}/react-dom.production.min.js"></script>
<script src="${GRAPHIQL_ASSET_DIR}/graphiql.min.js"></script>
<script src="${GRAPHIQL_ASSET_DIR}/visus-graphiql.js" nonce="${nonce}"></script>
</body>
</html>
`;
}

export const GRAPHIQL_CSS = `html, body, #graphiql { height: 100%; margin: 0; }
`;

/**
 * Plain browser JavaScript (no build step). The endpoint is resolved against the page's own URL, so the
 * IDE talks to the server that served it; `credentials: 'same-origin'` sends the session cookie.
 */
export const GRAPHIQL_BOOTSTRAP = `/* Visus: starts GraphiQL against this server's /graphql, with the session cookie. */
(function () {
  'use strict';
  // GraphiQL's dialogs add one <style> element, marked with this nonce (the page's policy allows it).
  var nonce = document.currentScript && document.currentScript.nonce;
  if (nonce) window.__webpack_nonce__ = nonce;
  var DEFAULT_TABS = ${JSON.stringify(DEFAULT_TABS)};
  var endpoint = new URL('graphql', document.baseURI).href;
  var fetcher = GraphiQL.createFetcher({
    url: endpoint,
    fetch: function (input, init) {
      return window.fetch(input, Object.assign({}, init, { credentials: 'same-origin' }));
    },
  });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultTabs: DEFAULT_TABS,
    defaultEditorToolsVisibility: true,
    shouldPersistHeaders: false,
  }));
})();
`;
