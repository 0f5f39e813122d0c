/**
 * The operation layer of enforcement: graphql-shield rules on the root Query and Mutation fields.
 * Each root field names whether it needs a session and which (action, subject) the caller must hold
 * somewhere in their scope. `fallbackRule` is deny, so a root field without a rule is refused, and
 * the caches are off. Shield is applied to the root types only: every other field is checked by
 * the field guard, which is cheaper per field and row-aware.
 *
 * Around each rule, the credential rules (src/policies/credential-rules.ts): an ENROLMENT session is refused every
 * field but the enrolment ones before anything else is checked, and a sensitive act needs a recent proof of identity
 * once the permission holds (so a caller without the permission hears FORBIDDEN, not "re-authenticate").
 * Sign-in fields (`allow`) are left as they are.
 */
import { GraphQLError, GraphQLSchema } from 'graphql';
import { applyMiddleware, IMiddleware } from 'graphql-middleware';
import { allow, chain, deny, rule, shield } from 'graphql-shield';
import { forbidden, isGraphQLErrorWithCode, unauthenticated } from '../errors/errors';
import { Action } from './catalog';
import { ENROLMENT_FIELDS, enrolmentRefusal, reauthenticationRefusal, refusalError, SENSITIVE_FIELDS } from './credential-rules';
import { GuardContext } from './guard-context';

const authenticated = rule({ cache: 'no_cache' })((_parent, _args, ctx: GuardContext) =>
  ctx.principal ? true : unauthenticated(ctx.authFailure),
);

/** The caller is signed in and holds `action` on `subject` in at least part of their scope. */
const mayRules = new Map<string, ReturnType<ReturnType<typeof rule>>>();
function may(action: Action, subjectName: string) {
  const name = `may-${action}-${subjectName}`;
  const existing = mayRules.get(name);
  if (existing) return existing; // shield rejects two rules with one name
  const created = rule(name, { cache: 'no_cache' })((_parent, _args, ctx: GuardContext) => {
    if (!ctx.principal || !ctx.ability) return unauthenticated(ctx.authFailure);
    return ctx.ability.can(action, subjectName) ? true : forbidden(`Not allowed to ${action} ${subjectName}.`);
  });
  mayRules.set(name, created);
  return created;
}

export const OPERATION_RULES = {
  Query: {
    me: authenticated,
    // One's own passkeys: no catalog permission (src/policies/passkey-rules.ts says which credentials may).
    passkeys: authenticated,
    stores: may('read', 'Store'),
    regions: may('read', 'Region'),
    customers: may('read', 'Customer'),
    customer: may('read', 'Customer'),
    users: may('read', 'User'),
    permissionCatalog: may('read', 'Role'),
    roles: may('read', 'Role'),
    role: may('read', 'Role'),
    effectivePermissions: may('read', 'Role'),
    explain: may('read', 'Role'),
    previewRoleChange: may('update', 'Role'),
    previewRoleChangeSummary: may('update', 'Role'),
    roleChanges: may('read', 'RoleChange'),
    clinicalAccessLog: may('read', 'AccessLogEntry'),
    customerAccessReport: may('read', 'AccessLogEntry'),
    emergencyAccesses: may('read', 'EmergencyAccess'),
    dataChangeLog: may('read', 'DataChangeEntry'),
    auditSettings: may('read', 'AuditSettings'),
    securityEvents: may('read', 'SecurityEvent'),
    consentChannels: may('read', 'ConsentSettings'),
    consentWordings: may('read', 'ConsentSettings'),
    apiTokens: may('read', 'ApiToken'),
    marketingList: may('export', 'MarketingList'),
    dataRequests: may('read', 'DataRequest'),
    dataRequest: may('read', 'DataRequest'),
    verificationDue: may('read', 'Customer'),
    breaches: may('read', 'Breach'),
    breachAffectedCustomers: may('read', 'Breach'),
    processingActivities: may('read', 'ProcessingActivity'),
    retentionPolicy: may('read', 'RetentionPolicy'),
    legalHolds: may('read', 'LegalHold'),
    authPolicy: may('read', 'AuthPolicy'),
    clinicalEncryptionPolicy: may('read', 'ClinicalEncryptionPolicy'),
  },
  Mutation: {
    login: allow,
    verifyMfa: allow,
    logout: authenticated,
    // One's own authenticator: no catalog permission (src/services/mfa/totp-enrolment.ts).
    beginTotpEnrollment: authenticated,
    confirmTotpEnrollment: authenticated,
    createCustomer: may('create', 'Customer'),
    updateCustomer: may('update', 'Customer'),
    recordConsentChange: may('update', 'Consent'),
    issueUnsubscribeLink: may('update', 'Consent'),
    restrictProcessing: may('update', 'Consent'),
    liftRestriction: may('update', 'Consent'),
    recordMarketingObjection: may('update', 'Consent'),
    eraseCustomer: may('erase', 'Customer'),
    setConsentChannels: may('update', 'ConsentSettings'),
    publishConsentWording: may('update', 'ConsentSettings'),
    recordTermsAcceptance: may('create', 'TermsAcceptance'),
    bookAppointment: may('create', 'Appointment'),
    cancelAppointment: may('update', 'Appointment'),
    createExamination: may('create', 'Examination'),
    updateExamination: may('update', 'Examination'),
    signExamination: may('sign', 'Examination'),
    issueSpectaclePrescription: may('create', 'SpectaclePrescription'),
    issueContactLensSpecification: may('create', 'ContactLensSpecification'),
    addClinicalNote: may('create', 'ClinicalNote'),
    createRole: may('create', 'Role'),
    updateRole: may('update', 'Role'),
    deleteRole: may('erase', 'Role'),
    assignRole: may('create', 'RoleAssignment'),
    revokeAssignment: may('erase', 'RoleAssignment'),
    requestEmergencyAccess: may('create', 'EmergencyAccess'),
    acknowledgeEmergencyAccess: may('update', 'EmergencyAccess'),
    updateAuditSettings: may('update', 'AuditSettings'),
    acknowledgeSecurityEvent: may('update', 'SecurityEvent'),
    createApiToken: may('create', 'ApiToken'),
    revokeApiToken: may('update', 'ApiToken'),
    createUser: may('create', 'User'),
    updateUser: may('update', 'User'),
    deactivateUser: may('update', 'User'),
    reactivateUser: may('update', 'User'),
    resetUserPassword: may('update', 'User'),
    acceptInvitation: allow,
    // one's own password: being signed in is enough (no catalog permission), src/services/account/change-password.ts
    changePassword: authenticated,
    createRegion: may('create', 'Region'),
    createStore: may('create', 'Store'),
    updateStore: may('update', 'Store'),
    // Passkeys (docs/passkeys.md): one's own account; signing in is anonymous.
    beginPasskeyRegistration: authenticated,
    finishPasskeyRegistration: authenticated,
    removePasskey: authenticated,
    beginPasskeySignIn: allow,
    finishPasskeySignIn: allow,
    reauthenticateWithPasskey: authenticated,
    createDataRequest: may('create', 'DataRequest'),
    verifyDataRequestIdentity: may('update', 'DataRequest'),
    assignDataRequest: may('update', 'DataRequest'),
    extendDataRequest: may('update', 'DataRequest'),
    pauseDataRequest: may('update', 'DataRequest'),
    resumeDataRequest: may('update', 'DataRequest'),
    completeDataRequest: may('update', 'DataRequest'),
    refuseDataRequest: may('update', 'DataRequest'),
    withdrawDataRequest: may('update', 'DataRequest'),
    confirmCustomerDetails: may('update', 'Customer'),
    recordBreach: may('create', 'Breach'),
    updateBreach: may('update', 'Breach'),
    // keeping the register up to date: a new entry also needs create (the service checks it)
    upsertProcessingActivity: may('update', 'ProcessingActivity'),
    updateRetentionPolicy: may('update', 'RetentionPolicy'),
    placeLegalHold: may('create', 'LegalHold'),
    releaseLegalHold: may('update', 'LegalHold'),
    updateAuthPolicy: may('update', 'AuthPolicy'),
    updateClinicalEncryptionPolicy: may('update', 'ClinicalEncryptionPolicy'),
    // the caller's own session: a fresh proof of identity (alone in its operation)
    reauthenticate: authenticated,
  },
};

type OperationRule = Parameters<typeof chain>[number];

/** An ENROLMENT session may use only the enrolment fields. */
const enrolmentScope = rule('credential-enrolment-scope', { cache: 'no_cache' })((_parent, _args, ctx: GuardContext) => {
  const refusal = enrolmentRefusal(ctx.credential);
  return refusal ? refusalError(refusal) : true;
});

/** A sensitive act needs a proof of identity within the re-authentication window (API tokens are exempt). */
const recentAuthentication = rule('credential-recent-authentication', { cache: 'no_cache' })((_parent, _args, ctx: GuardContext) => {
  const refusal = reauthenticationRefusal(ctx.credential, ctx.config.reauthWindowMinutes);
  return refusal ? refusalError(refusal) : true;
});

/** OPERATION_RULES with the credential rules around each (see the header). */
export function withCredentialRules(rules: Record<'Query' | 'Mutation', Record<string, OperationRule>>): Record<'Query' | 'Mutation', Record<string, OperationRule>> {
  const wrap = (field: string, operation: OperationRule): OperationRule => {
    if (operation === allow) return operation;
    const parts = [...(ENROLMENT_FIELDS.has(field) ? [] : [enrolmentScope]), operation, ...(SENSITIVE_FIELDS.has(field) ? [recentAuthentication] : [])];
    return parts.length === 1 ? operation : chain(...parts);
  };
  const wrapAll = (fields: Record<string, OperationRule>) => Object.fromEntries(Object.entries(fields).map(([field, operation]) => [field, wrap(field, operation)]));
  return { Query: wrapAll(rules.Query), Mutation: wrapAll(rules.Mutation) };
}

function fallbackError(thrown: unknown): GraphQLError {
  if (isGraphQLErrorWithCode(thrown)) return thrown;
  // The cause is kept (never shown: formatError answers `Internal error.`) so the server can tell an unreachable database.
  if (thrown) return thrown instanceof GraphQLError ? thrown : new GraphQLError('Internal error.', { extensions: { code: 'INTERNAL_SERVER_ERROR' }, originalError: thrown instanceof Error ? thrown : undefined });
  return forbidden('Not allowed.');
}

export function applyOperationGuard(schema: GraphQLSchema): GraphQLSchema {
  const generator = shield(withCredentialRules(OPERATION_RULES), {
    fallbackRule: deny,
    allowExternalErrors: false,
    fallbackError: (thrown) => fallbackError(thrown),
  });
  const middleware = generator.generate(schema) as IMiddleware;
  const rootOnly: IMiddleware = {};
  for (const root of ['Query', 'Mutation'] as const) {
    const typeMiddleware = (middleware as Record<string, unknown>)[root];
    if (typeMiddleware) (rootOnly as Record<string, unknown>)[root] = typeMiddleware;
  }
  return applyMiddleware(schema, rootOnly);
}
