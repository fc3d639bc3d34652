import { JobSecurityProfile } from '../../lib/job-pod-policy/security-profile';
import { PodSecurityLevel } from '../../lib/pod-security';
import { PropChecker } from '../../lib/validation/prop-checker';

const check = new PropChecker('test/Jobs');
const config = (profile: JobSecurityProfile) => profile._toKubernetesConfig(check, 'securityProfile');

describe('JobSecurityProfile', () => {
  test('privileged(): privileged containers that may escalate, for the privileged level only', () => {
    const profile = JobSecurityProfile.privileged();
    expect(config(profile)).toEqual({ privileged: true, allowPrivilegeEscalation: true });
    expect(profile).toMatchObject({ name: 'privileged', runsPrivileged: true, podSecurityLevel: PodSecurityLevel.PRIVILEGED });
    expect(profile.podSecurityReason).toBe('both baseline and restricted forbid privileged containers');
  });

  test('rootBuilder(): unprivileged, no escalation, no pod security context; baseline', () => {
    const profile = JobSecurityProfile.rootBuilder();
    expect(config(profile)).toEqual({ privileged: false, allowPrivilegeEscalation: false });
    expect(profile).toMatchObject({ name: 'root-builder', runsPrivileged: false, podSecurityLevel: PodSecurityLevel.BASELINE });
    expect(profile.podSecurityReason).toContain('restricted forbids running as root');
  });

  test('nonRoot(): uid and gid 1000 by default, fsGroup follows runAsGroup, every container drops ALL', () => {
    const profile = JobSecurityProfile.nonRoot();
    const container = { runAsNonRoot: true, allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['ALL'] } };
    expect(config(profile)).toEqual({
      privileged: false,
      allowPrivilegeEscalation: false,
      podSecurityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 },
      initPermissionsContainerSecurityContext: container,
      buildContainerSecurityContext: container,
      helperContainerSecurityContext: container,
      serviceContainerSecurityContext: container,
    });
    expect(profile).toMatchObject({ name: 'non-root', runsPrivileged: false, podSecurityLevel: PodSecurityLevel.BASELINE });
    expect(profile.podSecurityReason).toContain('seccomp');
    expect(config(JobSecurityProfile.nonRoot({ runAsUser: 1001, runAsGroup: 2000 })).podSecurityContext)
      .toEqual({ runAsNonRoot: true, runAsUser: 1001, runAsGroup: 2000, fsGroup: 2000 });
    expect(config(JobSecurityProfile.nonRoot({ runAsGroup: 0, fsGroup: 3000 })).podSecurityContext)
      .toEqual({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 0, fsGroup: 3000 });
  });

  test('nonRoot() ids are checked where the profile is used, under its prop', () => {
    expect(() => config(JobSecurityProfile.nonRoot({ runAsUser: 0 })))
      .toThrow('test/Jobs: invalid securityProfile.runAsUser: got 0; expected an integer >= 1 and <= 2147483647 (int32)');
    expect(() => config(JobSecurityProfile.nonRoot({ runAsGroup: -1 })))
      .toThrow('test/Jobs: invalid securityProfile.runAsGroup: got -1; expected an integer >= 0 and <= 2147483647 (int32)');
    expect(() => config(JobSecurityProfile.nonRoot({ fsGroup: 1.5 })))
      .toThrow('test/Jobs: invalid securityProfile.fsGroup: got 1.5; expected an integer >= 0 and <= 2147483647 (int32)');
    expect(() => config(JobSecurityProfile.nonRoot({ runAsUser: 2 ** 31 }))).toThrow('test/Jobs: invalid securityProfile.runAsUser: got 2147483648');
  });

  test('nonRoot() refuses misspelled options at once', () => {
    expect(() => JobSecurityProfile.nonRoot({ runAsUserId: 1001 } as any))
      .toThrow('JobSecurityProfile.nonRoot: invalid options.runAsUserId: got 1001; expected a known prop: did you mean "runAsUser"?');
    expect(() => JobSecurityProfile.nonRoot(null as any)).toThrow('JobSecurityProfile.nonRoot: invalid options: got null');
  });

  test('each call gives a new profile; a nonRoot config is computed afresh for each check', () => {
    expect(JobSecurityProfile.privileged()).not.toBe(JobSecurityProfile.privileged());
    const profile = JobSecurityProfile.nonRoot({ runAsUser: 0 });
    expect(() => profile._toKubernetesConfig(new PropChecker('a'), 'p')).toThrow('a: invalid p.runAsUser');
    expect(() => profile._toKubernetesConfig(new PropChecker('b'), 'q')).toThrow('b: invalid q.runAsUser');
  });
});
