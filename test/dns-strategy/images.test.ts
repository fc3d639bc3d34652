import { isAlpineImage, isMuslHelper } from '../../lib/dns-strategy/images';

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
