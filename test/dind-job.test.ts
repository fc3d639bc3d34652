import { spawnSync } from 'child_process';
import { dindJobSetup } from '../lib/dind-job';

describe('dindJobSetup', () => {
  test('the dind service as `docker` without TLS, its flags in order, the client pointed at it, a bounded wait', () => {
    const setup = dindJobSetup({
      dockerImage: 'docker:27.3.1', dindImage: 'docker:27.3.1-dind', insecureRegistries: ['a.example.com', 'b.example.com:5000'],
      registryMirror: 'https://mirror.example.com', daemonTimeoutSeconds: 30,
    });
    expect(setup.image).toEqual({ name: 'docker:27.3.1' });
    expect(setup.services).toEqual([{
      name: 'docker:27.3.1-dind',
      alias: 'docker',
      command: ['--tls=false', '--insecure-registry=a.example.com', '--insecure-registry=b.example.com:5000', '--registry-mirror=https://mirror.example.com'],
    }]);
    expect(setup.variables).toEqual({ DOCKER_HOST: 'tcp://docker:2375', DOCKER_TLS_CERTDIR: '' });
    expect(setup.before_script![0]).toContain('-ge 30 ]');
    expect(spawnSync('sh', ['-n', '-c', setup.before_script![0]]).status).toBe(0);
  });

  test('no registry mirror, no flag', () => {
    const setup = dindJobSetup({ dockerImage: 'd:1', dindImage: 'd:1-dind', insecureRegistries: [], daemonTimeoutSeconds: 60 });
    expect(setup.services![0].command).toEqual(['--tls=false']);
  });
});
