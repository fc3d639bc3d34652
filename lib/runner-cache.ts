import { Size } from 'cdk8s';
import { ISecret } from 'cdk8s-plus-28';
import { CacheConfig } from './model/runner-config';
import { PropChecker } from './validation/prop-checker';
import { checkProps } from './validation/known-keys';
import { parseQuantity } from './validation/quantity';

/** Options every cache backend shares. */
export interface RunnerCacheCommonOptions {
  /**
   * Prefix of the cache objects' keys inside the bucket.
   * @default - no prefix
   */
  readonly path?: string;
  /**
   * Share the cache between runners; otherwise each runner gets its own prefix.
   * @default true
   */
  readonly shared?: boolean;
  /**
   * Largest cache archive the runner uploads; larger archives are skipped.
   * @default - no limit
   */
  readonly maxUploadedArchiveSize?: Size;
}

/** Options for `RunnerCache.s3()`. */
export interface S3CacheOptions extends RunnerCacheCommonOptions {
  /** The bucket. */
  readonly bucketName: string;
  /**
   * S3 endpoint (`host[:port]`, no scheme); for MinIO or another S3-compatible store.
   * @default - AWS S3 (`s3.amazonaws.com`)
   */
  readonly serverAddress?: string;
  /**
   * The bucket's region.
   * @default - the runner's default region
   */
  readonly bucketLocation?: string;
  /**
   * Use plain HTTP to the endpoint.
   * @default false
   */
  readonly insecure?: boolean;
  /**
   * Secret with keys `accesskey` and `secretkey`, passed to the chart as `runners.cache.secretName`.
   * Without it the runner uses IAM credentials (instance profile or IRSA).
   * @default - IAM authentication
   */
  readonly credentials?: ISecret;
  /**
   * Server-side encryption: `S3`/`AES256`, `KMS`/`aws:kms` or `DSSE-KMS`/`aws:kms:dsse`.
   * @default - no server-side encryption
   */
  readonly serverSideEncryption?: string;
  /**
   * KMS key for `KMS` and `DSSE-KMS` encryption.
   * @default - none
   */
  readonly serverSideEncryptionKeyId?: string;
  /**
   * Use path-style requests (MinIO); otherwise auto-detected from the endpoint.
   * @default - auto-detected
   */
  readonly pathStyle?: boolean;
}

/** Options for `RunnerCache.gcs()`. */
export interface GcsCacheOptions extends RunnerCacheCommonOptions {
  /** The bucket. */
  readonly bucketName: string;
  /**
   * Secret with key `gcs-application-credentials-file`, or keys `gcs-access-id` and `gcs-private-key`.
   * @default - Workload Identity or the node's service account
   */
  readonly credentials?: ISecret;
}

/** Options for `RunnerCache.azure()`. */
export interface AzureCacheOptions extends RunnerCacheCommonOptions {
  /** The blob container. */
  readonly containerName: string;
  /** Secret with keys `azure-account-name` and `azure-account-key`. */
  readonly credentials: ISecret;
  /**
   * Storage domain, for sovereign clouds.
   * @default "blob.core.windows.net"
   */
  readonly storageDomain?: string;
}

const S3_ENCRYPTION = ['S3', 'AES256', 'KMS', 'aws:kms', 'DSSE-KMS', 'aws:kms:dsse'];
const KMS_ENCRYPTION = S3_ENCRYPTION.filter((e) => /kms/i.test(e));

/**
 * Where the runner keeps the CI cache (`[runners.cache]`). Credentials are never written into
 * `config.toml`: they stay in a Secret that the chart mounts (`runners.cache.secretName`).
 */
export class RunnerCache {
  /** An S3 or S3-compatible (MinIO) bucket. */
  public static s3(options: S3CacheOptions): RunnerCache {
    checkProps(new PropChecker('RunnerCache.s3'), options, 'S3CacheOptions', 'options', true);
    return new RunnerCache('s3', options, options.credentials, ['accesskey', 'secretkey'], (check) => {
      check.nonEmptyString('cache.bucketName', options.bucketName, 'an S3 bucket name');
      optionalStrings(check, { bucketLocation: options.bucketLocation, serverSideEncryptionKeyId: options.serverSideEncryptionKeyId });
      optionalBooleans(check, { insecure: options.insecure, pathStyle: options.pathStyle });
      check.noCredential('cache.serverAddress', options.serverAddress);
      if (options.serverAddress !== undefined && (typeof options.serverAddress !== 'string'
        || /^[a-z]+:\/\//i.test(options.serverAddress) || !options.serverAddress.trim() || /\s|\//.test(options.serverAddress))) {
        check.fail('cache.serverAddress', options.serverAddress, 'an S3 endpoint as host[:port] without a scheme, e.g. "minio.example.com:9000"');
      }
      // host, host:port, [IPv6] or [IPv6]:port; a bare IPv6 address is ambiguous with a port.
      const hostPort = options.serverAddress === undefined ? undefined : /^(\[[^\]]*\]|[^:[\]]*)(?::(.*))?$/.exec(options.serverAddress);
      if (options.serverAddress !== undefined && (hostPort === null || (!hostPort![1].startsWith('[') && hostPort![2]?.includes(':')))) {
        check.fail('cache.serverAddress', options.serverAddress, 'an IPv6 address in brackets, e.g. "[fd00::1]:9000"');
      }
      const port = hostPort?.[2];
      if (port !== undefined && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) {
        check.fail('cache.serverAddress', options.serverAddress, 'an S3 endpoint whose port is from 1 to 65535, e.g. "minio.example.com:9000"');
      }
      if (options.serverSideEncryption !== undefined) {
        check.oneOf('cache.serverSideEncryption', options.serverSideEncryption, S3_ENCRYPTION);
      }
      // The runner reads the key only for KMS encryption; with S3-managed keys or none it is dropped.
      if (options.serverSideEncryptionKeyId !== undefined && !KMS_ENCRYPTION.includes(options.serverSideEncryption ?? '')) {
        check.fail('cache.serverSideEncryptionKeyId', options.serverSideEncryptionKeyId,
          `no KMS key without KMS encryption: set serverSideEncryption to one of ${KMS_ENCRYPTION.map((e) => `"${e}"`).join(', ')}, or leave the key out`);
      }
      return {
        type: 's3',
        s3: {
          serverAddress: options.serverAddress,
          bucketName: options.bucketName,
          bucketLocation: options.bucketLocation,
          insecure: options.insecure,
          authenticationType: options.credentials ? 'access-key' : 'iam',
          serverSideEncryption: options.serverSideEncryption,
          serverSideEncryptionKeyId: options.serverSideEncryptionKeyId,
          pathStyle: options.pathStyle,
        },
      };
    });
  }

  /** A Google Cloud Storage bucket. */
  public static gcs(options: GcsCacheOptions): RunnerCache {
    checkProps(new PropChecker('RunnerCache.gcs'), options, 'GcsCacheOptions', 'options', true);
    return new RunnerCache('gcs', options, options.credentials, ['gcs-application-credentials-file'], (check) => {
      check.nonEmptyString('cache.bucketName', options.bucketName, 'a GCS bucket name');
      return { type: 'gcs', gcs: { bucketName: options.bucketName } };
    });
  }

  /** An Azure Blob Storage container. */
  public static azure(options: AzureCacheOptions): RunnerCache {
    checkProps(new PropChecker('RunnerCache.azure'), options, 'AzureCacheOptions', 'options', true);
    return new RunnerCache('azure', options, options.credentials, ['azure-account-name', 'azure-account-key'], (check) => {
      check.nonEmptyString('cache.containerName', options.containerName, 'an Azure blob container name');
      optionalStrings(check, { storageDomain: options.storageDomain });
      if (!options.credentials) {
        check.fail('cache.credentials', options.credentials, 'a Secret with keys azure-account-name and azure-account-key');
      }
      return { type: 'azure', azure: { containerName: options.containerName, storageDomain: options.storageDomain } };
    });
  }

  private constructor(
    /** The backend: `s3`, `gcs` or `azure`. */
    public readonly type: string,
    private readonly common: RunnerCacheCommonOptions,
    /** The Secret holding the credentials, if any. */
    public readonly credentials: ISecret | undefined,
    /**
     * The keys the chart reads from the credentials Secret (for GCS, the service account key file;
     * `gcs-access-id` and `gcs-private-key` work too).
     */
    public readonly credentialKeys: string[],
    private readonly backend: (check: PropChecker) => CacheConfig,
  ) {}

  /**
   * The `[runners.cache]` table, validated with `check`.
   * @internal
   */
  public _toConfig(check: PropChecker): CacheConfig {
    if (this.credentials) check.dnsSubdomain('cache.credentials.name', this.credentials.name);
    optionalStrings(check, { path: this.common.path });
    optionalBooleans(check, { shared: this.common.shared });
    const common: CacheConfig = {
      path: this.common.path,
      shared: this.common.shared ?? true,
      maxUploadedArchiveSize: this.common.maxUploadedArchiveSize === undefined
        ? undefined
        : bytes(check, this.common.maxUploadedArchiveSize),
    };
    return { ...common, ...this.backend(check) };
  }
}

function bytes(check: PropChecker, size: Size): number {
  return parseQuantity(check.size('cache.maxUploadedArchiveSize', size))!;
}

/** Optional string options: set means a non-empty string (a number would be written with the wrong TOML type). */
function optionalStrings(check: PropChecker, values: { [prop: string]: unknown }): void {
  for (const [prop, value] of Object.entries(values)) {
    if (value !== undefined) check.nonEmptyString(`cache.${prop}`, value as string);
  }
}

function optionalBooleans(check: PropChecker, values: { [prop: string]: unknown }): void {
  for (const [prop, value] of Object.entries(values)) {
    if (value !== undefined) check.boolean(`cache.${prop}`, value as boolean);
  }
}
