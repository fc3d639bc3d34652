/**
 * What a secret looks like, so that none is written to a file or echoed in an error. Users pass
 * names of Secrets and CI/CD variables; a value that looks like a credential never belongs here.
 */

/** Variable names that hold credentials: `*TOKEN*`, `*PASSWORD*`, `*SECRET*`, `*_KEY`. */
const CREDENTIAL_NAME = /TOKEN|PASSWORD|SECRET|_KEY$/i;

/**
 * Values that are credentials whatever their name: GitLab's token prefixes (runner, personal,
 * deploy, trigger, CI job, feed, OAuth, agent and incoming-mail tokens, and the legacy registration
 * token prefix), AWS access key ids and PEM private key blocks.
 */
const CREDENTIAL_VALUES: readonly RegExp[] = [
  /\bgl(?:rt|pat|dt|ptt|cbt|ft|oas|soat|agent|imt|rtr|wt)-[0-9A-Za-z_-]{8,}/g,
  /\bGR1348941[0-9A-Za-z_-]{8,}/g,
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
];

/** Where a credential belongs instead; the end of every error about one. */
export const WHERE_SECRETS_BELONG = 'a credential belongs in a masked GitLab CI/CD variable, in a Kubernetes Secret '
  + 'mounted as a volume, or in the chart\'s Secret references (tokenSecret, cache credentials), never in a prop value';

/** Whether `name` is a credential-like variable or prop name. */
export function isCredentialName(name: string): boolean {
  return typeof name === 'string' && CREDENTIAL_NAME.test(name);
}

/** Whether `value` holds something that looks like a credential. */
export function looksLikeCredential(value: string): boolean {
  return typeof value === 'string' && CREDENTIAL_VALUES.some((re) => new RegExp(re.source).test(value));
}

/** Whether `value` is only a reference to a variable (`$VAR`, `${VAR}`): the runner fills it in. */
export function isVariableReference(value: string): boolean {
  return /^\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*\})$/.test(value);
}

/** `text` with every credential-looking part replaced by a placeholder of its length. */
export function redactCredentials(text: string): string {
  return CREDENTIAL_VALUES.reduce((t, re) => t.replace(re, (match) => `<redacted: ${match.length} characters>`), text);
}

/** Every place in a JSON-like value whose string looks like a credential, as dotted paths. */
export function credentialPaths(value: unknown, path = ''): string[] {
  if (typeof value === 'string') return looksLikeCredential(value) ? [path || '(value)'] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => credentialPaths(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [
      ...(looksLikeCredential(k) ? [`${path}${path ? '.' : ''}<key>`] : []),
      ...credentialPaths(v, path ? `${path}.${k}` : k),
    ]);
  }
  return [];
}
