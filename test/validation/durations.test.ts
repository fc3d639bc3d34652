import { Duration } from 'cdk8s';
import { describeDuration, durationSeconds, goDurationString } from '../../lib/validation/durations';

describe('durations', () => {
  test('whole seconds become the shortest Go duration string', () => {
    expect([0, 45, 90, 300, 3600, 5400, 86461].map(goDurationString)).toEqual(['0s', '45s', '1m30s', '5m', '1h', '1h30m', '24h1m1s']);
  });

  test('seconds: whole seconds, or undefined where cdk8s has none', () => {
    expect(durationSeconds(Duration.minutes(2))).toBe(120);
    expect(durationSeconds(Duration.millis(1500))).toBeUndefined();
    expect(durationSeconds(90 as any)).toBeUndefined();
  });

  test('an error message quotes the human form, or the value as given', () => {
    expect(describeDuration(Duration.minutes(90))).toBe('1 hour 30 minutes');
    expect(describeDuration('5m' as any)).toBe('5m');
  });
});
