/**
 * @simplewebauthn/server, loaded on the first passkey ceremony rather than at start: with its ASN.1, CBOR and X.509
 * dependencies it holds about 4 MB of heap (and more RSS in code), which every API worker would otherwise carry
 * for an operation most of them never run. RSS matters here: the workers' young generation is sized for GraphQL
 * throughput, within the streamed exports' 128 MB budget (docs/architecture.md, "Young generation").
 */
// A dynamic import resolves the package's ESM build under `npm start` (its CommonJS build under the tests'
// transpile): the same version and API.
const load = () => import('@simplewebauthn/server');
type WebAuthnLibrary = Awaited<ReturnType<typeof load>>;

let library: Promise<WebAuthnLibrary> | undefined;

/** The library (the same module every call; a failed load is retried on the next call). */
export function webauthnLibrary(): Promise<WebAuthnLibrary> {
  const loading = library ?? load().catch((error: unknown) => {
    library = undefined;
    throw error;
  });
  library = loading;
  return loading;
}
