import { Duration } from 'cdk8s';

/** Whole seconds as the shortest Go duration string: 90 -> "1m30s", 3600 -> "1h", 0 -> "0s". */
export function goDurationString(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const text = `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
  return text || '0s';
}

/** The duration in whole seconds, or `undefined` when it is none (`toSeconds` throws on a fraction, or on a non-Duration). */
export function durationSeconds(value: Duration): number | undefined {
  try {
    return value.toSeconds();
  } catch {
    return undefined;
  }
}

/** The duration as an error message quotes it: its human form, or the value as given. */
export function describeDuration(value: Duration): string {
  try {
    return value.toHumanString();
  } catch {
    return String(value);
  }
}
