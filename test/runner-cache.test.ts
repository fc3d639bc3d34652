import { Size, Testing } from 'cdk8s';
import { Secret } from 'cdk8s-plus-28';
import { RunnerCache } from '../lib/runner-cache';
import { PropChecker } from '../lib/validation/prop-checker';

const check = new PropChecker('test/Runner');
const config = (cache: RunnerCache) => cache._toConfig(check);
const secret = (name: string) => Secret.fromSecretName(Testing.chart(), 'S', name);

describe('RunnerCache.s3', () => {
  test('access keys from a Secret, every option passed through', () => {
    const cache = RunnerCache.s3({
      bucketName: 'gitlab-runner-cache', serverAddress: 'minio.example.com:9000', bucketLocation: 'us-east-1', insecure: true, pathStyle: true,
      credentials: secret('runner-cache-s3'), serverSideEncryption: 'KMS', serverSideEncryptionKeyId: 'alias/ci',
      path: 'runners', shared: false, maxUploadedArchiveSize: Size.gibibytes(1),
    });
    expect(cache).toMatchObject({ type: 's3', credentialKeys: ['accesskey', 'secretkey'] });
    expect(cache.credentials?.name).toBe('runner-cache-s3');
    expect(config(cache)).toEqual({
      type: 's3', path: 'runners', shared: false, maxUploadedArchiveSize: 1073741824,
      s3: {
        serverAddress: 'minio.example.com:9000', bucketName: 'gitlab-runner-cache', bucketLocation: 'us-east-1', insecure: true,
        authenticationType: 'access-key', serverSideEncryption: 'KMS', serverSideEncryptionKeyId: 'alias/ci', pathStyle: true,
      },
    });
  });

  test('without a Secret: IAM, shared, no size limit', () => {
    const cache = RunnerCache.s3({ bucketName: 'b' });
    expect(cache.credentials).toBeUndefined();
    expect(config(cache)).toMatchObject({ type: 's3', path: undefined, shared: true, maxUploadedArchiveSize: undefined, s3: { bucketName: 'b', authenticationType: 'iam' } });
  });

  test('an S3 KMS key without KMS encryption', () => {
    for (const serverSideEncryption of [undefined, 'S3', 'AES256']) {
      const cache = RunnerCache.s3({ bucketName: 'c', serverSideEncryption, serverSideEncryptionKeyId: 'alias/ci' });
      expect(() => config(cache)).toThrow('test/Runner: invalid cache.serverSideEncryptionKeyId: got "alias/ci"; expected no KMS key without KMS encryption: '
        + 'set serverSideEncryption to one of "KMS", "aws:kms", "DSSE-KMS", "aws:kms:dsse", or leave the key out');
    }
    for (const serverSideEncryption of ['aws:kms', 'KMS', 'DSSE-KMS', 'aws:kms:dsse']) {
      const kms = RunnerCache.s3({ bucketName: 'c', serverSideEncryption, serverSideEncryptionKeyId: 'alias/ci' });
      expect(config(kms).s3?.serverSideEncryptionKeyId).toBe('alias/ci');
    }
  });

  test('an unknown encryption names the allowed ones', () => {
    expect(() => config(RunnerCache.s3({ bucketName: 'c', serverSideEncryption: 'kms' })))
      .toThrow('test/Runner: invalid cache.serverSideEncryption: got "kms"; expected one of "S3", "AES256", "KMS", "aws:kms", "DSSE-KMS", "aws:kms:dsse"');
  });

  test.each(['https://s3.example.com', 's3.example.com/bucket', ' ', 'a b', 42])('serverAddress %j is not host[:port]', (serverAddress) => {
    expect(() => config(RunnerCache.s3({ bucketName: 'c', serverAddress: serverAddress as string })))
      .toThrow(`test/Runner: invalid cache.serverAddress: got ${JSON.stringify(serverAddress)}; expected an S3 endpoint as host[:port] without a scheme, e.g. "minio.example.com:9000"`);
  });

  test.each(['minio:0', 'minio:65536', 'minio:', 'minio:x', '[::1]:123456'])('serverAddress %j has a bad port', (serverAddress) => {
    expect(() => config(RunnerCache.s3({ bucketName: 'c', serverAddress })))
      .toThrow(`test/Runner: invalid cache.serverAddress: got ${JSON.stringify(serverAddress)}; expected an S3 endpoint whose port is from 1 to 65535`);
  });

  test.each(['fd00::1', '::1', 'fd00::1:9000'])('serverAddress %j: an IPv6 address without brackets is ambiguous with a port', (serverAddress) => {
    expect(() => config(RunnerCache.s3({ bucketName: 'c', serverAddress })))
      .toThrow(`test/Runner: invalid cache.serverAddress: got ${JSON.stringify(serverAddress)}; expected an IPv6 address in brackets, e.g. "[fd00::1]:9000"`);
  });

  test.each(['minio:1', 'minio:65535', 'minio.example.com', '[::1]:9000', '[fd00::1]'])('serverAddress %j passes', (serverAddress) => {
    expect(config(RunnerCache.s3({ bucketName: 'c', serverAddress })).s3?.serverAddress).toBe(serverAddress);
  });

  test('strings and booleans are checked so that TOML gets the right types', () => {
    expect(() => config(RunnerCache.s3({ bucketName: '' }))).toThrow('test/Runner: invalid cache.bucketName: got ""; expected an S3 bucket name');
    expect(() => config(RunnerCache.s3({ bucketName: 'c', bucketLocation: 1 as any }))).toThrow('test/Runner: invalid cache.bucketLocation: got 1; expected a non-empty string');
    expect(() => config(RunnerCache.s3({ bucketName: 'c', insecure: 'true' as any }))).toThrow('test/Runner: invalid cache.insecure: got "true"; expected true or false');
    expect(() => config(RunnerCache.s3({ bucketName: 'c', pathStyle: 1 as any }))).toThrow('test/Runner: invalid cache.pathStyle: got 1');
    expect(() => config(RunnerCache.s3({ bucketName: 'c', path: '' }))).toThrow('test/Runner: invalid cache.path: got ""');
    expect(() => config(RunnerCache.s3({ bucketName: 'c', shared: 'no' as any }))).toThrow('test/Runner: invalid cache.shared: got "no"; expected true or false');
  });

  test('a credential as the endpoint fails without showing it', () => {
    const token = 'glpat-Zx9Qw3Er5Ty7Ui1Op2As';
    let message = '';
    try {
      config(RunnerCache.s3({ bucketName: 'c', serverAddress: token }));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('test/Runner: invalid cache.serverAddress: got "<redacted: ');
    expect(message).not.toContain(token);
  });
});

describe('RunnerCache.gcs and RunnerCache.azure', () => {
  test('gcs: the bucket only; the Secret\'s name is checked', () => {
    const cache = RunnerCache.gcs({ bucketName: 'g', credentials: secret('gcs-keys') });
    expect(cache).toMatchObject({ type: 'gcs', credentialKeys: ['gcs-application-credentials-file'] });
    expect(config(cache)).toEqual({ type: 'gcs', path: undefined, shared: true, maxUploadedArchiveSize: undefined, gcs: { bucketName: 'g' } });
    expect(config(RunnerCache.gcs({ bucketName: 'g' }))).toMatchObject({ gcs: { bucketName: 'g' } });
    expect(() => config(RunnerCache.gcs({ bucketName: ' ' }))).toThrow('test/Runner: invalid cache.bucketName: got " "; expected a GCS bucket name');
    expect(() => config(RunnerCache.gcs({ bucketName: 'g', credentials: { name: 'GCS_Keys' } as any })))
      .toThrow('test/Runner: invalid cache.credentials.name: got "GCS_Keys"; expected a DNS-1123 subdomain');
  });

  test('azure: container and storage domain; the Secret is required', () => {
    const cache = RunnerCache.azure({ containerName: 'c', credentials: secret('azure-keys'), storageDomain: 'blob.core.chinacloudapi.cn' });
    expect(cache).toMatchObject({ type: 'azure', credentialKeys: ['azure-account-name', 'azure-account-key'] });
    expect(config(cache)).toMatchObject({ type: 'azure', azure: { containerName: 'c', storageDomain: 'blob.core.chinacloudapi.cn' } });
    expect(() => config(RunnerCache.azure({ containerName: 'c' } as any)))
      .toThrow('test/Runner: invalid cache.credentials: got undefined; expected a Secret with keys azure-account-name and azure-account-key');
    expect(() => config(RunnerCache.azure({ containerName: '', credentials: secret('k') })))
      .toThrow('test/Runner: invalid cache.containerName: got ""; expected an Azure blob container name');
    expect(() => config(RunnerCache.azure({ containerName: 'c', credentials: secret('k'), storageDomain: '' })))
      .toThrow('test/Runner: invalid cache.storageDomain: got ""');
  });

  test('every factory refuses misspelled or missing options at once, naming itself', () => {
    expect(() => RunnerCache.gcs({ bucket: 'g' } as any)).toThrow('RunnerCache.gcs: invalid options.bucket: got "g"');
    expect(() => RunnerCache.azure({ container: 'c' } as any)).toThrow('RunnerCache.azure: invalid options.container: got "c"');
    expect(() => RunnerCache.azure(undefined as any)).toThrow('RunnerCache.azure: invalid options: got undefined');
    expect(() => RunnerCache.s3({ bucketName: 'c', serverSideEncription: 'KMS' } as any))
      .toThrow('RunnerCache.s3: invalid options.serverSideEncription: got "KMS"; expected a known prop: did you mean "serverSideEncryption"?');
  });

  test('the archive size limit is in bytes', () => {
    expect(config(RunnerCache.gcs({ bucketName: 'g', maxUploadedArchiveSize: Size.mebibytes(512) })).maxUploadedArchiveSize).toBe(512 * 2 ** 20);
    expect(() => config(RunnerCache.gcs({ bucketName: 'g', maxUploadedArchiveSize: 512 as any }))).toThrow('test/Runner: invalid cache.maxUploadedArchiveSize: got 512');
  });
});
