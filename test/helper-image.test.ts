import { CpuArchitecture, HelperImage, HelperImageFlavor } from '../lib/helper-image';
import { PropChecker } from '../lib/validation/prop-checker';

const OFFICIAL = 'registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper';
const check = new PropChecker('test/Jobs');
const imageFor = (image: HelperImage, version = '18.3.0') => image._imageFor(check, 'helperImage', version);

describe('HelperImage', () => {
  test('official(): GitLab\'s registry, alpine without a flavor prefix, x86_64', () => {
    const image = HelperImage.official();
    expect(image.repository).toBe(OFFICIAL);
    expect(image.architecture).toBe(CpuArchitecture.X86_64);
    expect(imageFor(image)).toBe(`${OFFICIAL}:x86_64-v18.3.0`);
    expect(imageFor(HelperImage.official({ flavor: HelperImageFlavor.ALPINE }))).toBe(`${OFFICIAL}:x86_64-v18.3.0`);
  });

  test('a mirror is pinned to the runner version, under gitlab/gitlab-runner-helper unless told', () => {
    const mirror = HelperImage.fromRegistry('registry.example.com');
    expect(imageFor(mirror, '18.3.0')).toBe('registry.example.com/gitlab/gitlab-runner-helper:x86_64-v18.3.0');
    expect(imageFor(mirror, '18.3.1')).toBe('registry.example.com/gitlab/gitlab-runner-helper:x86_64-v18.3.1');
    expect(imageFor(HelperImage.fromRegistry('registry.example.com:5000', { repository: 'mirror/helper', architecture: CpuArchitecture.ARM64 })))
      .toBe('registry.example.com:5000/mirror/helper:arm64-v18.3.0');
  });

  test('every other flavor is the tag\'s prefix', () => {
    expect(imageFor(HelperImage.official({ flavor: HelperImageFlavor.UBUNTU, architecture: CpuArchitecture.ARM64 })))
      .toBe(`${OFFICIAL}:ubuntu-arm64-v18.3.0`);
    expect(imageFor(HelperImage.official({ flavor: HelperImageFlavor.ALPINE_3_21 }))).toBe(`${OFFICIAL}:alpine3.21-x86_64-v18.3.0`);
    expect(imageFor(HelperImage.official({ flavor: HelperImageFlavor.UBI_FIPS }))).toBe(`${OFFICIAL}:ubi-fips-x86_64-v18.3.0`);
  });

  test('ubi-fips is x86_64 only', () => {
    expect(() => imageFor(HelperImage.official({ flavor: HelperImageFlavor.UBI_FIPS, architecture: CpuArchitecture.ARM64 })))
      .toThrow('test/Jobs: invalid helperImage.architecture: got "arm64"; expected CpuArchitecture.X86_64: the ubi-fips helper is built for x86_64 only');
  });

  test('an unknown flavor or architecture names the prop and the allowed values', () => {
    expect(() => imageFor(HelperImage.official({ flavor: 'debian' as HelperImageFlavor })))
      .toThrow('test/Jobs: invalid helperImage.flavor: got "debian"; expected one of "alpine", "alpine3.19", "alpine3.21", "alpine-latest", "ubuntu", "ubi-fips"');
    expect(() => imageFor(HelperImage.official({ architecture: 'amd64' as CpuArchitecture })))
      .toThrow('test/Jobs: invalid helperImage.architecture: got "amd64"; expected one of "x86_64", "arm64", "arm", "s390x", "ppc64le"');
  });

  test('the mirror\'s registry must be a host[:port]', () => {
    for (const registry of ['https://registry.example.com', 'registry.example.com/path', 'registry.example.com:0']) {
      expect(() => imageFor(HelperImage.fromRegistry(registry)))
        .toThrow(`test/Jobs: invalid helperImage.registry: got "${registry}"; expected a registry host[:port] without scheme or path`);
    }
  });

  test('the result must be a pinned image (arm has no digit of its own to mask a version without one)', () => {
    expect(() => imageFor(HelperImage.official({ architecture: CpuArchitecture.ARM }), 'latest'))
      .toThrow(`test/Jobs: invalid helperImage: got "${OFFICIAL}:arm-vlatest"; expected an image reference pinned by a version tag`);
    expect(imageFor(HelperImage.official({ architecture: CpuArchitecture.ARM }))).toBe(`${OFFICIAL}:arm-v18.3.0`);
  });

  test('misspelled options fail in the factory, naming it', () => {
    expect(() => HelperImage.official({ flavour: HelperImageFlavor.UBUNTU } as any))
      .toThrow('HelperImage.official: invalid options.flavour: got "ubuntu"; expected a known prop: did you mean "flavor"?');
    expect(() => HelperImage.fromRegistry('registry.example.com', { repo: 'x' } as any))
      .toThrow('HelperImage.fromRegistry: invalid options.repo: got "x"');
    expect(() => HelperImage.official('alpine' as any)).toThrow('HelperImage.official: invalid options: got "alpine"');
  });
});
