import { Size, Testing } from 'cdk8s';
import { ConfigMap, EmptyDirMedium, PersistentVolumeClaim, Secret } from 'cdk8s-plus-28';
import { JobVolume } from '../lib/job-volume';
import { PropChecker } from '../lib/validation/prop-checker';

const check = new PropChecker('test/Jobs');
const config = (volume: JobVolume) => volume._toConfig(check, 'volumes[0]');

describe('JobVolume', () => {
  test('emptyDir: name, mount, medium and size limit', () => {
    const volume = JobVolume.emptyDir('scratch', { mountPath: '/scratch', subPath: 'a', medium: EmptyDirMedium.MEMORY, sizeLimit: Size.gibibytes(1) });
    expect(volume).toMatchObject({ kind: 'emptyDir', name: 'scratch', isHostPath: false });
    expect(config(volume)).toEqual({ kind: 'emptyDir', entry: { name: 'scratch', mountPath: '/scratch', subPath: 'a', medium: 'Memory', sizeLimit: '1Gi' } });
    expect(config(JobVolume.emptyDir('s', { mountPath: '/s' })).entry).toEqual({ name: 's', mountPath: '/s', subPath: undefined, medium: undefined, sizeLimit: undefined });
    // The default medium is written as nothing: the runner's default.
    expect(config(JobVolume.emptyDir('s', { mountPath: '/s', medium: EmptyDirMedium.DEFAULT })).entry).toMatchObject({ medium: undefined });
  });

  test('emptyDir refuses readOnly and an unknown medium', () => {
    expect(() => config(JobVolume.emptyDir('s', { mountPath: '/s', readOnly: true })))
      .toThrow('test/Jobs: invalid volumes[0].readOnly: got true; expected no readOnly: an emptyDir volume is always writable');
    expect(() => config(JobVolume.emptyDir('s', { mountPath: '/s', readOnly: false }))).toThrow('invalid volumes[0].readOnly: got false');
    expect(() => config(JobVolume.emptyDir('s', { mountPath: '/s', medium: 'Disk' as EmptyDirMedium })))
      .toThrow('test/Jobs: invalid volumes[0].medium: got "Disk"; expected one of "", "Memory"');
  });

  test('secret, configMap and pvc take the object\'s name', () => {
    const chart = Testing.chart();
    expect(config(JobVolume.secret(Secret.fromSecretName(chart, 'Ca', 'internal-ca'), { mountPath: '/etc/ssl/internal', readOnly: true, items: { 'ca.crt': 'ca.crt' } })))
      .toEqual({ kind: 'secret', entry: { name: 'internal-ca', mountPath: '/etc/ssl/internal', subPath: undefined, readOnly: true, items: { 'ca.crt': 'ca.crt' } } });
    expect(config(JobVolume.configMap(ConfigMap.fromConfigMapName(chart, 'Cfg', 'ci-config'), { mountPath: '/etc/ci' })))
      .toEqual({ kind: 'configMap', entry: { name: 'ci-config', mountPath: '/etc/ci', subPath: undefined, readOnly: undefined, items: undefined } });
    expect(config(JobVolume.pvc(PersistentVolumeClaim.fromClaimName(chart, 'Pvc', 'ci-cache'), { mountPath: '/cache', subPath: 'jobs' })))
      .toEqual({ kind: 'pvc', entry: { name: 'ci-cache', mountPath: '/cache', subPath: 'jobs', readOnly: undefined } });
  });

  test('hostPath needs an absolute node path, and is the one kind that is a host path', () => {
    const volume = JobVolume.hostPath('sock', '/var/run/docker.sock', { mountPath: '/var/run/docker.sock', readOnly: true });
    expect(volume.isHostPath).toBe(true);
    expect(config(volume)).toEqual({ kind: 'hostPath', entry: { name: 'sock', mountPath: '/var/run/docker.sock', subPath: undefined, readOnly: true, hostPath: '/var/run/docker.sock' } });
    expect(() => config(JobVolume.hostPath('sock', 'var/run/docker.sock', { mountPath: '/s' })))
      .toThrow('test/Jobs: invalid volumes[0].hostPath: got "var/run/docker.sock"; expected an absolute path on the node');
  });

  test('name, mountPath, subPath and readOnly are checked where the volume is used', () => {
    expect(() => config(JobVolume.emptyDir('Scratch', { mountPath: '/s' })))
      .toThrow('test/Jobs: invalid volumes[0].name: got "Scratch"; expected a DNS-1123 subdomain');
    expect(() => config(JobVolume.emptyDir('s', { mountPath: 'cache' })))
      .toThrow('test/Jobs: invalid volumes[0].mountPath: got "cache"; expected an absolute path inside the containers');
    expect(() => config(JobVolume.emptyDir('s', { mountPath: undefined as any })))
      .toThrow('test/Jobs: invalid volumes[0].mountPath: got undefined');
    expect(() => config(JobVolume.emptyDir('s', { mountPath: '/s', subPath: '' })))
      .toThrow('test/Jobs: invalid volumes[0].subPath: got ""; expected a relative path inside the volume');
    const chart = Testing.chart();
    expect(() => config(JobVolume.pvc(PersistentVolumeClaim.fromClaimName(chart, 'Pvc', 'c'), { mountPath: '/c', readOnly: 'yes' as any })))
      .toThrow('test/Jobs: invalid volumes[0].readOnly: got "yes"; expected true or false');
  });

  test('items map keys to non-empty relative paths', () => {
    const secret = Secret.fromSecretName(Testing.chart(), 'S', 's');
    expect(() => config(JobVolume.secret(secret, { mountPath: '/s', items: { 'ca.crt': '' } })))
      .toThrow('test/Jobs: invalid volumes[0].items["ca.crt"]: got ""; expected a relative path');
    expect(() => config(JobVolume.secret(secret, { mountPath: '/s', items: ['ca.crt'] as any })))
      .toThrow('test/Jobs: invalid volumes[0].items: got ["ca.crt"]; expected a map of keys to relative paths');
  });

  test('the factories refuse a missing reference and misspelled options at once, naming the factory', () => {
    expect(() => JobVolume.secret(undefined as any, { mountPath: '/s' }))
      .toThrow('JobVolume.secret: invalid secret: got undefined; expected a Secret reference, e.g. Secret.fromSecretName(this, \'Ref\', \'name\')');
    expect(() => JobVolume.configMap('ci-config' as any, { mountPath: '/s' }))
      .toThrow('JobVolume.configMap: invalid configMap: got "ci-config"; expected a ConfigMap reference, e.g. ConfigMap.fromConfigMapName(this, \'Ref\', \'name\')');
    expect(() => JobVolume.pvc(null as any, { mountPath: '/s' }))
      .toThrow('JobVolume.pvc: invalid claim: got null; expected a PersistentVolumeClaim reference, e.g. PersistentVolumeClaim.fromClaimName(this, \'Ref\', \'name\')');
    expect(() => JobVolume.hostPath('h', '/h', { mountPath: '/h', medium: EmptyDirMedium.MEMORY } as any))
      .toThrow('JobVolume.hostPath: invalid options.medium: got "Memory"');
    expect(() => JobVolume.emptyDir('s', undefined as any)).toThrow('JobVolume.emptyDir: invalid options: got undefined');
  });
});
