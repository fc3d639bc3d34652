import { Size, SizeRoundingBehavior } from 'cdk8s';

// Kubernetes resource.Quantity grammar: <signedNumber><suffix>, suffix one of the binary SI
// units (Ki..Ei), the decimal SI units (n, u, m, "", k, M, G, T, P, E) or an exponent (e3).
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

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
  if (/^[eE]/.test(suffix)) return number * 10 ** Number(suffix.slice(1));
  return number * MULTIPLIERS[suffix];
}

/**
 * Renders a cdk8s `Size` as the largest exact binary quantity (`1Gi`, `512Mi`, `100Ki`).
 * Throws when the size is not a whole number of kibibytes.
 */
export function sizeToQuantity(size: Size): string {
  const gi = size.toGibibytes({ rounding: SizeRoundingBehavior.NONE });
  if (Number.isInteger(gi)) return `${gi}Gi`;
  const mi = size.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
  if (Number.isInteger(mi)) return `${mi}Mi`;
  const ki = size.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
  if (Number.isInteger(ki)) return `${ki}Ki`;
  throw new Error(`${ki}Ki is not a whole number of kibibytes`);
}
