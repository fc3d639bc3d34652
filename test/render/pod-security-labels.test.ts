import { PodSecurityLevel } from '../../lib/pod-security';
import { enforcedPodSecurityLevel, POD_SECURITY_LABEL_KEYS, podSecurityLabels } from '../../lib/render/pod-security-labels';

describe('Pod Security labels', () => {
  test('enforce, audit and warn on the level, each pinned to v1.28', () => {
    expect(podSecurityLabels(PodSecurityLevel.BASELINE)).toEqual({
      'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/enforce-version': 'v1.28',
      'pod-security.kubernetes.io/audit': 'baseline', 'pod-security.kubernetes.io/audit-version': 'v1.28',
      'pod-security.kubernetes.io/warn': 'baseline', 'pod-security.kubernetes.io/warn-version': 'v1.28',
    });
  });

  test('the enforced level reads back from the labels', () => {
    expect(enforcedPodSecurityLevel(podSecurityLabels(PodSecurityLevel.PRIVILEGED))).toBe(PodSecurityLevel.PRIVILEGED);
    expect(enforcedPodSecurityLevel({ [POD_SECURITY_LABEL_KEYS.audit.level]: 'restricted' })).toBeUndefined();
  });
});
