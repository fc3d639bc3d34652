import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { PRESETS, presetResources } from '../../lib/job-pod-policy/presets';
import { resourceQuantities } from '../../lib/resources';
import { PropChecker } from '../../lib/validation/prop-checker';

const quantities = (r: Parameters<typeof resourceQuantities>[2]) => resourceQuantities(new PropChecker('test'), 'r', r);

describe('PRESETS', () => {
  test('small: seed 001\'s build and service containers, our helper numbers', () => {
    expect(quantities(PRESETS.small.build)).toEqual({ cpu: { request: '250m', limit: '1' }, memory: { request: '256Mi', limit: '1Gi' }, ephemeralStorage: {} });
    expect(quantities(PRESETS.small.service)).toEqual(quantities(PRESETS.small.build));
    expect(quantities(PRESETS.small.helper)).toEqual({ cpu: { request: '100m', limit: '250m' }, memory: { request: '128Mi', limit: '256Mi' }, ephemeralStorage: {} });
  });

  test('large: seed 001\'s build and service containers, our helper numbers', () => {
    expect(quantities(PRESETS.large.build)).toEqual({ cpu: { request: '1', limit: '4' }, memory: { request: '1Gi', limit: '4Gi' }, ephemeralStorage: {} });
    expect(quantities(PRESETS.large.service)).toEqual(quantities(PRESETS.large.build));
    expect(quantities(PRESETS.large.helper)).toEqual({ cpu: { request: '250m', limit: '1' }, memory: { request: '256Mi', limit: '1Gi' }, ephemeralStorage: {} });
  });

  test('every preset pair is a valid request no larger than its limit, and uses cdk8s types', () => {
    for (const preset of Object.values(PRESETS)) {
      for (const container of [preset.build, preset.service, preset.helper]) {
        expect(() => quantities(container)).not.toThrow();
        expect(container.cpu.limit).toBeInstanceOf(Cpu);
        expect(container.memory.limit).toBeInstanceOf(Size);
      }
    }
  });
});

describe('presetResources', () => {
  test('maps a preset to the policy\'s three resource props, by reference', () => {
    expect(presetResources(PRESETS.large)).toEqual({
      buildResources: PRESETS.large.build, serviceResources: PRESETS.large.service, helperResources: PRESETS.large.helper,
    });
    expect(presetResources(PRESETS.small).helperResources).toBe(PRESETS.small.helper);
  });
});
