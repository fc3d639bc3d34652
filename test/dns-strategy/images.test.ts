import { hybridMuslWarning, isAlpineImage, isMuslHelper } from '../../lib/dns-strategy/images';

describe('isMuslHelper', () => {
  test.each([
    ['registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:x86_64-v18.3.0', true],
    ['registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:alpine3.21-x86_64-v18.3.0', true],
    ['registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:ubuntu-x86_64-v18.3.0', false],
    ['registry.example.com:5000/gitlab-runner-helper:ubi-fips-x86_64-v18.3.0', false],
  ])('%s: %s', (image, musl) => {
    expect(isMuslHelper(image)).toBe(musl);
  });
});

describe('isAlpineImage', () => {
  test.each([
    ['alpine:3.22', true],
    ['registry.example.com/library/alpine:3.22', true],
    ['python:3.12-alpine3.20', true],
    ['alpine', true],
    ['debian:12-slim', false],
    ['alpine/k8s:1.28.15', false],
    ['registry.example.com:5000/team/app@sha256:abc', false],
  ])('%s: %s', (image, alpine) => {
    expect(isAlpineImage(image)).toBe(alpine);
  });
});

describe('hybridMuslWarning', () => {
  const HELPER = 'registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper';
  const NAMESERVERS = ['10.96.0.10', '10.0.0.2', '8.8.8.8'];

  test('names each musl image and the racing nameservers', () => {
    const warning = hybridMuslWarning(NAMESERVERS, `${HELPER}:x86_64-v18.3.0`, 'alpine:3.22');
    expect(warning).toContain(`the helper image ${HELPER}:x86_64-v18.3.0 (Alpine flavor: git clones there) and the default job image alpine:3.22`);
    expect(warning).toContain('all nameservers (10.96.0.10, 10.0.0.2, 8.8.8.8) at once');
    expect(hybridMuslWarning(NAMESERVERS, `${HELPER}:ubuntu-x86_64-v18.3.0`, 'python:3.12-alpine')).toContain('images, the default job image python:3.12-alpine:');
  });

  test('nothing with glibc images', () => {
    expect(hybridMuslWarning(NAMESERVERS, `${HELPER}:ubuntu-x86_64-v18.3.0`, 'debian:12-slim')).toBeUndefined();
  });
});
