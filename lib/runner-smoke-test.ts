import { Construct } from 'constructs';
import { IImageMirror } from './calculator-pipeline';
import { dindJobSetup } from './dind-job';
import { DnsStrategy } from './dns-strategy';
import { GitlabCiJob, GitlabCiPipeline } from './model/gitlab-ci';
import { GeneratedFileKind } from './output/files';
import { FileRegistry } from './output/registry';
import { RunnerManager } from './runner-manager';
import { hostsToLookUp } from './validation/patterns';
import { PropChecker } from './validation/prop-checker';
import { checkProps } from './validation/known-keys';
import { addWarning } from './validation/warnings';

/** Properties of a `RunnerSmokeTest`. */
export interface RunnerSmokeTestProps {
  /**
   * The runner under test: the jobs carry its tags, the `dns` job expects its `DnsStrategy` and
   * `jobNamespace`, and the `dind` job exists only when its job pods are privileged.
   */
  readonly runner: RunnerManager;
  /**
   * Registry host[:port] names the job pods must resolve, e.g. the image mirror and the app's
   * private registry; the `dns` job looks each host up (without the port). IP addresses are not
   * looked up. The host of `registryMirror` is always looked up.
   * @default - none
   */
  readonly registries?: string[];
  /**
   * Image of the `hello` and `dns` jobs, with a POSIX `sh`, `awk`, `grep` and `getent` or
   * `nslookup` (Debian, Ubuntu, Alpine and busybox images have them), pinned by tag.
   * @default - the runner's `jobImage` (`alpine:3.22` unless set there), used as it is: `mirror` does not apply to it
   */
  readonly jobImage?: string;
  /**
   * The `dind` job's image, with the Docker client.
   * @default "docker:27.3.1"
   */
  readonly dockerImage?: string;
  /**
   * The Docker-in-Docker service image, with the Docker daemon.
   * @default "docker:27.3.1-dind"
   */
  readonly dindImage?: string;
  /**
   * The image the `dind` job pulls and runs inside the Docker daemon (`docker pull`, then
   * `docker run --rm <image> echo ok`, so it needs `echo`).
   * @default "alpine:3.22"
   */
  readonly testImage?: string;
  /**
   * A Docker Hub mirror for the Docker daemon (`--registry-mirror=<url>`), e.g. the seeds'
   * pull-through cache `http://registry-cache.local:5000`; an http:// or https:// URL without
   * credentials, query or fragment. The `dind` job checks that the daemon lists it, and the
   * `dns` job that its host resolves.
   * @default - none: the daemon pulls Docker Hub images from Docker Hub
   */
  readonly registryMirror?: string;
  /**
   * Registries the Docker daemon may reach over plain HTTP (`--insecure-registry`); only these.
   * @default - none
   */
  readonly insecureRegistries?: string[];
  /**
   * Maps an image reference to the one jobs pull (e.g. through a private mirror); applied to
   * `dockerImage`, `dindImage`, `testImage` and an explicit `jobImage`.
   * @default - images as given
   */
  readonly mirror?: IImageMirror;
}

/** Where the `dns` job reads the resolver configuration; the `RESOLV_CONF` job variable. */
const RESOLV_CONF = '/etc/resolv.conf';
/** How long the `dind` job waits for the Docker daemon. */
const DAEMON_TIMEOUT_SECONDS = 60;

/**
 * The smoke-test pipeline for a fresh runner: commit the generated
 * `<chart>.runner-smoke-test.gitlab-ci.yml` as `.gitlab-ci.yml` in a scratch project (the seeds'
 * `runner-test`) and run it. One stage, `test`, with up to three jobs carrying the runner's tags:
 *
 * - `hello` (the seeds' first job): prints the pod's host name and the date, and fails unless it
 *   runs in a Kubernetes pod, i.e. unless the tags routed it to a Kubernetes executor.
 * - `dns`: prints `/etc/resolv.conf` and fails unless it is what the runner's `DnsStrategy` makes
 *   the kubelet write: for `internal()` and `hybrid()` exactly the strategy's nameservers in order
 *   (for `hybrid()` the cluster DNS Service address first), its search list and its options; for
 *   the cluster-DNS strategies (`clusterDefault()`, `publicCloud()`) exactly one nameserver (the
 *   cluster DNS Service, whose address the strategy does not know), the search domain
 *   `<jobNamespace>.svc.<clusterDomain>` and `ndots:5`. Then it looks up each registry host with
 *   `getent hosts` (the libc resolver jobs use) or, without it, `nslookup`, and fails when one gets
 *   no address.
 * - `dind`, only when the runner's job pods are privileged (Docker-in-Docker runs a privileged
 *   service container; without it `dockerd` does not start): starts the `docker:dind` service
 *   as the app pipeline does, waits for the daemon (bounded), checks the registry mirror it was
 *   given, then `docker info`, `docker pull` and `docker run` of `testImage`.
 *
 * The checks are POSIX `sh` lines using `awk` and `grep`, so busybox (Alpine) runs them. Written
 * on `app.synth()`.
 */
export class RunnerSmokeTest extends Construct {
  /**
   * The pipeline model, which the output step renders (internal: its shape is GitLab's keywords).
   * @internal
   */
  public readonly _pipeline: GitlabCiPipeline;
  /**
   * The nameserver addresses the `dns` job requires, in order: the strategy's for `internal()`
   * and `hybrid()`; empty for the cluster-DNS strategies, where it requires exactly one nameserver.
   */
  public readonly expectedNameservers: string[];
  /** The images the jobs use (and the one the `dind` job pulls), in job order. */
  public readonly images: string[];

  constructor(scope: Construct, id: string, props: RunnerSmokeTestProps) {
    super(scope, id);
    const check = new PropChecker(this.node.path);
    checkProps(check, props, 'RunnerSmokeTestProps', '', true);
    const runner = props.runner;
    if (!(runner instanceof RunnerManager)) check.fail('runner', runner, 'a RunnerManager construct');
    // These only shape the dind job, which an unprivileged runner does not get (registryMirror's host is still looked up).
    const dindOnly = (['dockerImage', 'dindImage', 'testImage', 'insecureRegistries'] as const).filter((p) => props[p] !== undefined);
    if (dindOnly.length > 0 && !runner.privileged) {
      addWarning(this, `${dindOnly.join(', ')} ${dindOnly.length === 1 ? 'has' : 'have'} no effect: only the dind job uses them, and `
        + `${runner.node.path}'s job pods are not privileged (${runner.jobPodPolicy.securityProfile.name} profile), so there is no dind job`);
    }
    if (props.mirror !== undefined && typeof props.mirror?.mirrorImage !== 'function') {
      check.fail('mirror', props.mirror, 'an IImageMirror: an object with a function mirrorImage(image) that returns the mirrored reference');
    }
    // Only strings reach the mirror; anything else fails as that prop.
    const mirror = (prop: string, image: string) => check.pinnedImage(prop,
      (props.mirror ? props.mirror.mirrorImage(check.nonEmptyString(prop, image, 'an image reference')) : check.nonEmptyString(prop, image, 'an image reference')));
    const jobImage = props.jobImage === undefined ? runner.jobImage : mirror('jobImage', props.jobImage);
    const dockerImage = mirror('dockerImage', props.dockerImage ?? 'docker:27.3.1');
    const dindImage = mirror('dindImage', props.dindImage ?? 'docker:27.3.1-dind');
    const testImage = mirror('testImage', props.testImage ?? 'alpine:3.22');
    const registries = check.registryHosts('registries', props.registries);
    const insecure = check.registryHosts('insecureRegistries', props.insecureRegistries);
    const registryMirror = props.registryMirror === undefined ? undefined : check.httpUrl('registryMirror', props.registryMirror);

    const tags = runner.tags.length ? runner.tags : undefined;
    if (!tags) {
      addWarning(this, `the runner ${runner.node.path} declares no tags, so the jobs have none: `
        + 'set the runner to run untagged jobs in GitLab, or give it tags');
    }
    const withTags = ({ stage, ...job }: GitlabCiJob): GitlabCiJob => ({ stage, tags: tags && [...tags], ...job });

    const resolv = resolvConfChecks(runner.dnsStrategy, runner.jobNamespace);
    this.expectedNameservers = [...resolv.nameservers];
    const hosts = hostsToLookUp([...registries, ...(registryMirror ? [new URL(registryMirror).host] : [])]);

    const jobs: { [name: string]: GitlabCiJob } = {
      hello: withTags({
        stage: 'test',
        image: { name: jobImage },
        script: [
          'echo "Hello from the Kubernetes executor of GitLab Runner"',
          'echo "Pod: $(hostname)"',
          'echo "Date: $(date -u)"',
          'echo "Runner: $CI_RUNNER_DESCRIPTION (tags: $CI_RUNNER_TAGS)"',
          'echo "User: $(id)"',
          // The kubelet puts the API server's Service into every pod's environment.
          'if [ -n "$KUBERNETES_SERVICE_HOST" ]; then echo "In a Kubernetes pod; API server at $KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT"; '
            + 'else echo "Not in a Kubernetes pod: another runner took this job; check the tags"; exit 1; fi',
        ],
      }),
      dns: withTags({
        stage: 'test',
        image: { name: jobImage },
        // Overridable, so that the checks can run against any file.
        variables: { RESOLV_CONF },
        script: [...resolv.lines, ...lookupLines(hosts, jobImage)],
      }),
    };
    // Docker-in-Docker runs a privileged service container: on an unprivileged runner it cannot start.
    if (runner.privileged) jobs.dind = withTags(dindJob({ dockerImage, dindImage, testImage, insecure, registryMirror }));
    this.images = runner.privileged ? [jobImage, dockerImage, dindImage, testImage] : [jobImage];
    this._pipeline = { stages: ['test'], jobs };

    const strategy = runner.dnsStrategy;
    FileRegistry.of(this).add(this, GeneratedFileKind.SMOKE_TEST, {
      fileModel: () => ({ pipeline: this._pipeline, header: [
        `Smoke test of the GitLab Runner ${runner.node.path}, generated by cdk8s-gitlab-runner from ${this.node.path}.`,
        'Commit it as .gitlab-ci.yml in a scratch project (e.g. runner-test) and run the pipeline: every job must pass.',
        `hello: a job ${tags ? `tagged ${tags.join(', ')}` : 'without tags'} reaches this runner and runs in a Kubernetes pod.`,
        `dns: the job pod's resolv.conf is what the ${strategy.kind} DNS strategy gives `
          + (resolv.nameservers.length ? `(nameservers ${resolv.nameservers.join(', ')})` : '(one nameserver: the cluster DNS Service)')
          + (hosts.length ? `, and ${hosts.join(', ')} ${hosts.length === 1 ? 'resolves' : 'resolve'}.` : '.'),
        runner.privileged
          ? `dind: the privileged Docker-in-Docker service starts${registryMirror ? ` with the registry mirror ${registryMirror}` : ''}, `
            + `and pulls and runs ${testImage}.`
          : `No dind job: ${runner.node.path}'s job pods are not privileged (${runner.jobPodPolicy.securityProfile.name} profile), `
            + 'and Docker-in-Docker needs a privileged service container.',
      ] }),
    });
  }
}

/**
 * The `dns` job's resolv.conf checks: one self-contained `sh` line each, reading `$RESOLV_CONF`,
 * that prints what it found and exits 1 on a mismatch.
 */
function resolvConfChecks(strategy: DnsStrategy, jobNamespace: string): { nameservers: readonly string[]; lines: string[] } {
  const file = '"$RESOLV_CONF"';
  const conf = strategy.resolvConf(jobNamespace);
  const lines = [`cat ${file}`];
  if (!conf.clusterFirst) {
    // dns_policy "none": the kubelet writes exactly these, in order (hybrid: the cluster DNS Service first).
    lines.push(compareLine('nameservers', conf.nameservers,
      `awk '$1 == "nameserver" { printf "%s%s", sep, $2; sep = " " }' ${file}`));
    lines.push(compareLine('search', conf.searches,
      `awk '$1 == "search" { s = ""; for (i = 2; i <= NF; i++) s = s (i > 2 ? " " : "") $i } END { print s }' ${file}`));
  } else {
    // One nameserver, the cluster DNS Service; the node's search domains follow the pod's, so only its first is checked.
    lines.push(`n=$(awk '$1 == "nameserver" { n++ } END { print n + 0 }' ${file}); `
      + 'if [ "$n" -eq 1 ]; then echo "nameservers OK: 1 (the cluster DNS Service)"; '
      + 'else echo "nameservers: expected 1 (the cluster DNS Service), got $n"; exit 1; fi');
    lines.push(wordLine('search', conf.searches[0], file));
  }
  for (const option of conf.options) lines.push(wordLine('options', option, file));
  return { nameservers: conf.nameservers, lines };
}

/** A line that compares the space-separated output of `actual` with `expected`. */
function compareLine(what: string, expected: readonly string[], actual: string): string {
  const text = expected.join(' ');
  return `expected=${shellWord(text)}; actual=$(${actual}); `
    + `if [ "$actual" = "$expected" ]; then echo "${what} OK: \${actual:-none}"; `
    + `else echo "${what}: expected \${expected:-none}, got \${actual:-none}"; exit 1; fi`;
}

/** A line that requires `word` among the words of a `keyword` line (`search`, `options`). */
function wordLine(keyword: string, word: string, file: string): string {
  const w = shellWord(word);
  return `if awk -v w=${w} '$1 == "${keyword}" { for (i = 2; i <= NF; i++) if ($i == w) found = 1 } END { exit !found }' ${file}; `
    + `then echo "${keyword} OK: ${dq(word)}"; `
    + `else echo "${keyword}: expected ${dq(word)}, got: $(awk '$1 == "${keyword}"' ${file})"; exit 1; fi`;
}

/**
 * One lookup line per host, through the image's own resolver: `getent hosts` where the image has it
 * (glibc and musl: the lookup jobs' own programs make), else `nslookup` (busybox images). Some
 * busybox versions' `nslookup` exit 0 on NXDOMAIN, so there the line requires a `Name:` line (an
 * address answer) in its output rather than trusting the exit code.
 */
function lookupLines(hosts: readonly string[], jobImage: string): string[] {
  if (hosts.length === 0) return [];
  return [
    'if command -v getent >/dev/null 2>&1; then lookup=getent; elif command -v nslookup >/dev/null 2>&1; then lookup=nslookup; '
      + `else echo "neither getent nor nslookup in ${dq(jobImage)}: use an image with either (Debian, Ubuntu, Alpine, busybox)"; exit 1; fi`,
    ...hosts.map((host) => {
      const h = shellWord(host);
      return `if [ "$lookup" = getent ]; then if out=$(getent hosts ${h} 2>&1); then found=yes; else found=no; fi; `
        + `else out=$(nslookup ${h} 2>&1); if printf '%s\\n' "$out" | grep -q '^Name:'; then found=yes; else found=no; fi; fi; `
        + `printf '%s\\n' "$out"; `
        + `if [ "$found" = yes ]; then echo "${dq(host)} resolves"; else echo "${dq(host)} does not resolve from the job pod"; exit 1; fi`;
    }),
  ];
}

interface DindOptions {
  readonly dockerImage: string;
  readonly dindImage: string;
  readonly testImage: string;
  readonly insecure: readonly string[];
  readonly registryMirror?: string;
}

/** The `dind` job: the app pipeline's Docker-in-Docker setup, then info, pull and run. */
function dindJob(o: DindOptions): GitlabCiJob {
  const script = ['docker info'];
  if (o.registryMirror) {
    // dockerd lists each mirror with exactly one trailing slash.
    const listed = JSON.stringify(`${o.registryMirror.replace(/\/+$/, '')}/`);
    script.push(`if docker info --format '{{json .RegistryConfig.Mirrors}}' | grep -qF ${shellWord(listed)}; `
      + `then echo "dockerd uses the registry mirror ${dq(o.registryMirror)}"; `
      + `else echo "dockerd does not list the registry mirror ${dq(o.registryMirror)}"; exit 1; fi`);
  }
  script.push(`docker pull ${o.testImage}`, `docker run --rm ${o.testImage} echo ok`);
  return {
    stage: 'test',
    ...dindJobSetup({
      dockerImage: o.dockerImage, dindImage: o.dindImage, insecureRegistries: o.insecure, registryMirror: o.registryMirror,
      daemonTimeoutSeconds: DAEMON_TIMEOUT_SECONDS,
    }),
    script,
  };
}

/** `value` for the inside of a double-quoted shell string. */
function dq(value: string): string {
  return value.replace(/[\\"$`]/g, '\\$&');
}

/** `value` as one shell word: as it is when it has no special characters, else single-quoted. */
function shellWord(value: string): string {
  return /^[A-Za-z0-9_.,:/=+@%-]+$/.test(value) ? value : `'${value.replace(/'/g, '\'\\\'\'')}'`;
}
