/**
 * What a secret looks like, so that none is written to a file or echoed in an error. Users pass
 * names of Secrets and CI/CD variables; a value that looks like a credential never belongs here.
 */

/**
 * Variable names that hold credentials: `*TOKEN*`, `*PASSWORD*`, `*SECRET*`, `*_KEY`, and the
 * spellings `*PASSWD*`, `*PASSPHRASE*`, `*APIKEY*`.
 */
const CREDENTIAL_NAME = /TOKEN|PASSWORD|PASSWD|PASSPHRASE|SECRET|APIKEY|_KEY$/i;

/** One shape of credential: what to call it in a message, and where it sits in a text. */
interface CredentialShape {
  readonly kind: string;
  /** Global: `redactCredentials` replaces every match. */
  readonly pattern: RegExp;
}

/**
 * Values that are credentials whatever their name. The lookbehinds keep a token glued to a word
 * (`MY_glrt-…`) in, and a longer word that merely contains a prefix out.
 */
const CREDENTIAL_SHAPES: readonly CredentialShape[] = [
  // GitLab's token prefixes: runner, personal, deploy, trigger, CI job, feed, OAuth, SCIM, agent,
  // incoming-mail, feature-flag client and workspace tokens.
  { kind: 'a GitLab token', pattern: /(?<![A-Za-z0-9])gl(?:rt|rtr|pat|dt|ptt|cbt|ft|ffct|oas|soat|agent|imt|wt)-[0-9A-Za-z_-]{8,}/g },
  { kind: 'a GitLab runner registration token', pattern: /(?<![A-Za-z0-9])GR1348941[0-9A-Za-z_-]{8,}/g },
  { kind: 'a GitHub token', pattern: /(?<![A-Za-z0-9])(?:gh[pousr]_[0-9A-Za-z]{30,}|github_pat_[0-9A-Za-z_]{30,})/g },
  { kind: 'an AWS access key id', pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Za-z0-9])/g },
  // A header alone is enough: a cut-off block still holds key material. Any case: a lowercased
  // block still holds it too.
  { kind: 'a private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY(?: BLOCK)?-----|$)/gi },
  // Three base64url parts, the first two JSON objects: a JWT such as a ServiceAccount or CI job token.
  { kind: 'a JSON web token', pattern: /(?<![A-Za-z0-9_-])eyJ[0-9A-Za-z_-]{8,}\.eyJ[0-9A-Za-z_-]{8,}\.[0-9A-Za-z_-]{8,}/g },
  // Only the password of `scheme://user:password@host`: the rest says where it was.
  { kind: 'a password in a URL', pattern: /(?<=[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/\s:@]*:)[^/\s@]+(?=@)/g },
];

/** The same shapes without the global flag, compiled once: `test` on a global pattern would carry `lastIndex` between calls. */
const CREDENTIAL_TESTS: readonly CredentialShape[] = CREDENTIAL_SHAPES.map((s) => ({ kind: s.kind, pattern: new RegExp(s.pattern.source, s.pattern.flags.replace('g', '')) }));

/** Where a credential belongs instead; the end of every error about one. */
export const WHERE_SECRETS_BELONG = 'a credential belongs in a masked GitLab CI/CD variable, in a Kubernetes Secret '
  + 'mounted as a volume, or in the chart\'s Secret references (tokenSecret, cache credentials), never in a prop value';

/** Whether `name` is a credential-like variable or prop name. */
export function isCredentialName(name: string): boolean {
  return typeof name === 'string' && CREDENTIAL_NAME.test(name);
}

/** Whether `value` holds something that looks like a credential. */
export function looksLikeCredential(value: string): boolean {
  return credentialKinds(value).length > 0;
}

/**
 * A text that none of CREDENTIAL_SHAPES can match lacks all of these (each match, or for the URL
 * password what precedes it, contains one): one test instead of seven for the thousands of
 * strings of a synth, nearly all of which hold none.
 */
const MAY_HOLD_CREDENTIAL = /gl|GR1348941|gh[pousr]_|github_pat_|AKIA|ASIA|-----BEGIN|eyJ|:\/\//i;

/** What kinds of credential `value` holds (`a GitLab token`, `a private key`), each once; empty if none. */
export function credentialKinds(value: string): string[] {
  if (typeof value !== 'string' || !MAY_HOLD_CREDENTIAL.test(value)) return [];
  return CREDENTIAL_TESTS.filter((s) => s.pattern.test(value)).map((s) => s.kind);
}

/** The credentials in a text, by line (1-based) and kind, never the value: for messages about a whole file. */
export function credentialLines(text: string): { readonly line: number; readonly kind: string }[] {
  const found: { line: number; kind: string }[] = [];
  for (const shape of CREDENTIAL_SHAPES) {
    for (const match of text.matchAll(shape.pattern)) {
      found.push({ line: text.slice(0, match.index).split('\n').length, kind: shape.kind });
    }
  }
  return found.sort((a, b) => a.line - b.line);
}

/** Whether `value` is only a reference to a variable (`$VAR`, `${VAR}`): the runner fills it in. */
export function isVariableReference(value: string): boolean {
  return /^\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*\})$/.test(value);
}

/** `text` with every credential-looking part replaced by a placeholder of its length. */
export function redactCredentials(text: string): string {
  return CREDENTIAL_SHAPES.reduce((t, s) => t.replace(s.pattern, (match) => placeholder(match)), text);
}

/** `text` with credential-looking parts and literal values of credential-like assignments (`API_TOKEN=…`) hidden. */
export function redactText(text: string): string {
  return redactAssignments(redactCredentials(text));
}

/**
 * Shell assignments in `script` of a literal value to a credential-like variable (`export
 * API_TOKEN=abc`): their variable names. A value that starts with `$` (a variable, a command
 * substitution that reads a mounted Secret) or is empty is no literal.
 */
export function literalCredentialAssignments(script: string): string[] {
  if (typeof script !== 'string') return [];
  const names: string[] = [];
  for (const match of script.matchAll(ASSIGNMENT)) {
    const [, name, value] = match;
    if (isCredentialName(name) && isLiteral(value)) names.push(name);
  }
  return names.filter((n, i) => names.indexOf(n) === i);
}

/**
 * `value` for an error message: anything that may be a secret replaced by a placeholder. A string
 * under a credential-like `name` (the prop, the map key) is hidden whole, unless the name only names
 * a variable or a Secret (`passwordVariable`, `tokenSecretName`) or the string is a `$VAR` reference;
 * in any string, credential-looking parts and literal values of credential-like assignments are
 * hidden. Plain objects and arrays are redacted member by member, each under its own key. The
 * strings hidden whole are added to `hidden`.
 */
export function redactValue(value: unknown, name = '', hidden: string[] = []): unknown {
  if (typeof value === 'string') {
    if (value !== '' && !isVariableReference(value) && mayHoldSecret(name)) {
      hidden.push(value);
      return placeholder(value);
    }
    return redactText(value);
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, name, hidden));
  if (value !== null && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    // Class instances (Duration, Cpu, a Secret) are described by their type and amount, not walked.
    if (proto !== Object.prototype && proto !== null) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [redactCredentials(k), redactValue(v, k, hidden)]));
  }
  return value;
}

/**
 * `text` with each of `secrets` (strings `redactValue` hid) replaced by its placeholder wherever
 * it recurs, e.g. quoted again in the description of what was expected. Very short strings are
 * left: replacing them would garble the words around them and hides little.
 */
export function redactRecurring(text: string, secrets: readonly string[]): string {
  return secrets.filter((s) => s.length >= 4).reduce((t, s) => t.split(s).join(placeholder(s)), text);
}

/** Every place in a JSON-like value whose string (or key, `<key>`) looks like a credential, with the kinds found there. */
export function credentialFindings(value: unknown, path = ''): { readonly path: string; readonly kinds: string[] }[] {
  const found: { path: string; kinds: string[] }[] = [];
  // Paths are built only for a finding: most strings hold none.
  const walk = (v: unknown, at: () => string): void => {
    if (typeof v === 'string') {
      const kinds = credentialKinds(v);
      if (kinds.length > 0) found.push({ path: at() || '(value)', kinds });
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, () => `${at()}[${i}]`));
    } else if (v !== null && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) {
        const keyKinds = credentialKinds(k);
        if (keyKinds.length > 0) found.push({ path: `${at()}${at() ? '.' : ''}<key>`, kinds: keyKinds });
        walk(item, () => (at() ? `${at()}.${k}` : k));
      }
    }
  };
  walk(value, () => path);
  return found;
}

/** `NAME=value` in a shell line or a URL query: after the start, a blank or a separator, up to the next blank or separator. */
const ASSIGNMENT = /(?:^|[\s;&|(`?])([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|[^\s;&|)`]*)/gm;

function isLiteral(value: string): boolean {
  const unquoted = value.replace(/^(["'])([\s\S]*)\1$/, '$2');
  // A placeholder is what an earlier redaction left.
  return unquoted !== '' && !unquoted.startsWith('$') && !unquoted.startsWith('<redacted');
}

function redactAssignments(text: string): string {
  return text.replace(ASSIGNMENT, (whole, name: string, value: string) =>
    (isCredentialName(name) && isLiteral(value) ? whole.slice(0, whole.length - value.length) + placeholder(value) : whole));
}

/**
 * Whether a prop or key of this name may hold a secret: a credential-like name, or one that takes
 * a Secret (`pullSecret`, `credentials`). Names of a variable or a Secret hold only that name.
 */
function mayHoldSecret(name: string): boolean {
  if (/(?:Variable|Name)$/.test(name)) return false;
  return isCredentialName(name) || /secret|credential|passw|auth/i.test(name);
}

function placeholder(value: string): string {
  return `<redacted: ${value.length} characters>`;
}
