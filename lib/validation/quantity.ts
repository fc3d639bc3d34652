import { Size, SizeRoundingBehavior } from 'cdk8s';

// Kubernetes resource.Quantity grammar: <signedNumber><suffix>, suffix one of the binary SI
// units (Ki..Ei), the decimal SI units (n, u, m, "", k, M, G, T, P, E) or an exponent (e3).
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

// "E" and "Ei" are suffixes (10^18, 2^60), not exponents.
const EXPONENT = /^[eE][+-]?\d+$/;

const MULTIPLIERS: { readonly [suffix: string]: number } = {
  'Ki': 2 ** 10, 'Mi': 2 ** 20, 'Gi': 2 ** 30, 'Ti': 2 ** 40, 'Pi': 2 ** 50, 'Ei': 2 ** 60,
  'n': 1e-9, 'u': 1e-6, 'm': 1e-3, '': 1, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12, 'P': 1e15, 'E': 1e18,
};

/**
 * Parses a Kubernetes quantity string into its value in base units (cores, bytes).
 * Returns `undefined` when the string is not a quantity.
 */
export function parseQuantity(text: string): number | undefined {
  if (typeof text !== 'string') return undefined;
  const match = QUANTITY.exec(text);
  if (!match) return undefined;
  const number = Number(match[1]);
  const suffix = match[2] ?? '';
  if (EXPONENT.test(suffix)) return number * 10 ** Number(suffix.slice(1));
  return number * MULTIPLIERS[suffix];
}

/**
 * The largest amount we write, in base units (bytes, millicores): beyond it a JavaScript number no
 * longer holds every integer, so the amount we check is not the one we would write. Kubernetes
 * itself caps binary-SI quantities at 2^63-1 silently (apimachinery resource.ParseQuantity).
 */
export const MAX_AMOUNT = Number.MAX_SAFE_INTEGER;

const SUFFIX_EXPONENTS: { readonly [suffix: string]: readonly [number, number] } = {
  'Ki': [0, 10], 'Mi': [0, 20], 'Gi': [0, 30], 'Ti': [0, 40], 'Pi': [0, 50], 'Ei': [0, 60],
  'n': [-9, 0], 'u': [-6, 0], 'm': [-3, 0], '': [0, 0], 'k': [3, 0], 'M': [6, 0], 'G': [9, 0], 'T': [12, 0], 'P': [15, 0], 'E': [18, 0],
};

/**
 * The exact value of a quantity string in whole units of 10^`exponent` base units (`-3`: millicores),
 * computed without floating point; `undefined` when it is not a quantity, not a whole number of
 * such units, negative, or above `MAX_AMOUNT`.
 */
export function wholeAmount(text: string, exponent = 0): number | undefined {
  if (typeof text !== 'string') return undefined;
  const match = QUANTITY.exec(text);
  if (!match) return undefined;
  const [, number, suffix = ''] = match;
  if (number.startsWith('-') && /[1-9]/.test(number)) return undefined;
  const [whole, fraction = ''] = number.replace(/^[+-]/, '').split('.');
  const digits = BigInt(`${whole}${fraction}` || '0');
  if (digits === 0n) return 0;
  const [exp10, exp2] = EXPONENT.test(suffix) ? [Number(suffix.slice(1)), 0] : SUFFIX_EXPONENTS[suffix];
  // value / 10^exponent = digits × 10^shift × 2^exp2
  const shift = exp10 - fraction.length - exponent;
  // From 10^16 up the amount is above MAX_AMOUNT; both bounds keep the BigInt powers small.
  if (shift > 16) return undefined;
  let amount = digits * 2n ** BigInt(exp2);
  if (shift >= 0) {
    amount *= 10n ** BigInt(shift);
  } else {
    // digits × 2^60 has fewer than length + 19 decimal digits, so a larger divisor leaves a fraction.
    if (-shift > text.length + 19) return undefined;
    const divisor = 10n ** BigInt(-shift);
    if (amount % divisor !== 0n) return undefined;
    amount /= divisor;
  }
  return amount <= BigInt(MAX_AMOUNT) ? Number(amount) : undefined;
}

/**
 * Renders a cdk8s `Size` as the largest exact binary quantity (`1Gi`, `512Mi`, `100Ki`) in plain
 * digits. Throws when the size is not a whole number of kibibytes or exceeds `MAX_AMOUNT` bytes.
 */
export function sizeToQuantity(size: Size): string {
  const ki = size.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
  if (!Number.isInteger(ki) || ki < 0) throw new Error(`${ki}Ki is not a whole number of kibibytes`);
  // Sizes are binary multiples, so these divisions are exact until the size stops being a safe integer.
  if (ki > MAX_AMOUNT / 1024) throw new Error(`${ki}Ki is more than ${MAX_AMOUNT} bytes`);
  for (const [unit, kis] of [['Gi', 2 ** 20], ['Mi', 2 ** 10]] as const) {
    if (ki % kis === 0) return `${ki / kis}${unit}`;
  }
  return `${ki}Ki`;
}
