// The parts of RunnerManagerProps about the release itself: registration, Helm release, concurrency, lifecycle.
import { Duration } from 'cdk8s';
import { ISecret } from 'cdk8s-plus-28';
import { RunnerNamespaces } from './namespaces';

/** How the runner registers with GitLab: the instance, the token, the name and tags. Part of `RunnerManagerProps`. */
export interface RunnerRegistrationProps {
  /**
   * URL of the GitLab instance, e.g. `https://gitlab.com/` or `http://192.168.1.50/`.
   * Becomes the chart's `gitlabUrl`.
   */
  readonly gitlabUrl: string;

  /**
   * Existing Secret in the manager's namespace with the keys `runner-token` (a `glrt-` runner
   * authentication token) and `runner-registration-token` (may be empty). The chart mounts both
   * keys and fails to start the pod if either is missing. The token itself never passes through
   * this library. Use `Secret.fromSecretName(this, 'Token', 'gitlab-runner-token')`.
   */
  readonly tokenSecret: ISecret;

  /**
   * A revision of the token Secret's content, e.g. the date it was last rotated. The chart restarts
   * the manager pods only when Secrets it creates change (`checksum/secrets`), never for this
   * existing Secret, so a rotated token would wait for the next restart. Give a new value whenever
   * you rotate the token: it becomes the manager pods' annotation `cdk8s-gitlab-runner/token-revision`
   * (the chart's `podAnnotations`), and `helm upgrade` then rolls the managers. Never the token itself.
   * @default - no annotation: rotate by restarting the Deployment (`kubectl rollout restart`)
   */
  readonly tokenSecretRevision?: string;

  /**
   * Name the runner registers with (the chart's `runners.name`).
   * @default - the chart's resource name, e.g. "gitlab-runner"
   */
  readonly runnerName?: string;

  /**
   * Tags of this runner, for pipelines generated against it. With `glrt-` tokens tags are set on
   * the runner in GitLab (Settings > CI/CD > Runners, or the `POST /user/runners` API), never in
   * the chart values, which drop them; this list must match what is set there.
   * @default - no tags
   */
  readonly tags?: string[];
}

/** The Helm release: its name, version, image, namespaces and metrics. Part of `RunnerManagerProps`. */
export interface RunnerReleaseProps {
  /**
   * Helm release name. The chart names its Deployment, ConfigMap, ServiceAccount, Role and
   * labels after it (`<release>` if it starts with `gitlab-runner`, else `<release>-gitlab-runner`).
   * @default "gitlab-runner"
   */
  readonly releaseName?: string;

  /**
   * Namespace of the manager Deployment (the Helm release's namespace).
   * @default "gitlab-runner"
   */
  readonly namespace?: string;

  /**
   * Namespace of the job pods. Separate from the manager's by default so that each carries its
   * own Pod Security level: the manager passes `restricted`, while job pods need `baseline`, or
   * `privileged` for Docker-in-Docker.
   * @default - `<namespace>-jobs`
   */
  readonly jobNamespace?: string;

  /**
   * Run the manager and its jobs in one namespace (`jobNamespace` equal to `namespace`). The
   * namespace then takes the jobs' Pod Security level (`privileged` for DinD), so the manager loses
   * its `restricted` level, and every job pod shares the namespace of the runner token Secret.
   * Without this, equal namespaces are an error.
   * @default false
   */
  readonly sharedNamespace?: boolean;

  /**
   * Add Namespace objects (with Pod Security labels) for the manager's and jobs' namespaces.
   * Turn off when the platform creates namespaces itself.
   * @default true
   */
  readonly createNamespaces?: boolean;

  /**
   * Namespaces to use instead of creating them, e.g. another manager's `namespaces` when two
   * managers share their namespaces. `namespace` and `jobNamespace` then default to its names and
   * must equal them; at synth its jobs' level must allow this manager's job pods.
   * @default - the manager creates its own (see `createNamespaces`)
   */
  readonly namespaces?: RunnerNamespaces;

  /**
   * GitLab Runner version; it sets the chart version (18.3.x is chart 0.80.x) and the manager
   * image tag (`alpine-v<version>`). Only 18.3.x is supported: the values model is checked
   * against chart 0.80.
   * @default "18.3.0"
   */
  readonly runnerVersion?: string;

  /**
   * Registry of the manager image, e.g. a mirror such as `registry.example.com`.
   * @default "registry.gitlab.com"
   */
  readonly imageRegistry?: string;

  /**
   * Repository of the manager image inside the registry.
   * @default "gitlab-org/gitlab-runner"
   */
  readonly imageRepository?: string;

  /**
   * Expose Prometheus metrics on port 9252 and a ClusterIP Service for them.
   * @default true
   */
  readonly metrics?: boolean;
}

/** How many jobs run at once, and how often the managers ask for them. Part of `RunnerManagerProps`. */
export interface RunnerConcurrencyProps {
  /**
   * Number of manager pods. Each registers as a runner manager of the same runner and runs up
   * to `concurrent` jobs, so the total is `replicas × concurrent`.
   * @default 2
   */
  readonly replicas?: number;

  /**
   * Jobs each manager pod runs at once (global `concurrent`).
   * @default 10
   */
  readonly concurrent?: number;

  /**
   * Jobs this runner entry runs at once per manager (`limit`); 0 means only `concurrent` applies.
   * @default 0
   */
  readonly limit?: number;

  /**
   * Concurrent requests for new jobs to GitLab (`request_concurrency`).
   * @default 1
   */
  readonly requestConcurrency?: number;

  /**
   * How often each manager asks GitLab for new jobs (`check_interval`).
   * @default Duration.seconds(3)
   */
  readonly checkInterval?: Duration;

  /**
   * Accept more configured jobs (`replicas × concurrent`, bounded by `limit`) than the node pool
   * fits by requests: the extra job pods wait Pending and fail after `pollTimeout`. Without this,
   * that over-commit fails synthesis; with it, it is a warning.
   * @default false
   */
  readonly overCommit?: boolean;
}

/** How a manager stops (drain or unregister) and survives voluntary disruptions. Part of `RunnerManagerProps`. */
export interface RunnerLifecycleProps {
  /**
   * How long the runner's forced shutdown may take (`shutdown_timeout`): aborting running jobs and
   * cleaning up their pods after the graceful drain is cut short.
   * @default Duration.seconds(30)
   */
  readonly shutdownTimeout?: Duration;

  /**
   * The longest job this runner runs (the maximum job timeout set on the runner or the projects in
   * GitLab): how long a draining manager waits for its running jobs.
   * @default Duration.hours(1) (GitLab's default job timeout)
   */
  readonly jobTimeout?: Duration;

  /**
   * Grace period of the manager pod on deletion (`terminationGracePeriodSeconds`). When draining,
   * at least `jobTimeout` + `shutdownTimeout`, so that a drain never kills a job that could have
   * finished; otherwise more than `shutdownTimeout`.
   * @default - `jobTimeout` + `shutdownTimeout`
   */
  readonly terminationGracePeriod?: Duration;

  /**
   * Drain a stopping manager (upgrade, node drain, scale-in). The runner only drains on SIGQUIT;
   * Kubernetes sends SIGTERM, on which the runner aborts its running jobs. So a preStop hook
   * (`deploymentLifecycle`) sends SIGQUIT: the runner takes no new jobs and waits for its running
   * ones, up to `terminationGracePeriod` − `shutdownTimeout`; then SIGTERM aborts what is left
   * within `shutdownTimeout`. Chart 0.80 runs its unregister hook only without a lifecycle, so
   * this and `unregisterRunners` exclude each other.
   * @default - true, unless `unregisterRunners` is true
   */
  readonly drainOnStop?: boolean;

  /**
   * A PodDisruptionBudget keeping all but one manager running through voluntary disruptions (node
   * drains, cluster upgrades); the chart has none.
   * @default - with 2 or more replicas
   */
  readonly podDisruptionBudget?: boolean;

  /**
   * Spread the manager pods across nodes (`topologySpreadConstraints` on `kubernetes.io/hostname`,
   * `ScheduleAnyway`), so that one node's loss does not take every manager.
   * @default - with 2 or more replicas
   */
  readonly spreadAcrossNodes?: boolean;

  /**
   * Unregister the manager from GitLab when its pod stops (the chart's preStop hook; with `glrt-`
   * tokens this deletes the runner manager entry, not the runner). Running jobs are then aborted on
   * stop: see `drainOnStop`. Without it, each stopped pod leaves a stale manager entry under the
   * runner in GitLab.
   * @default - false when draining (`drainOnStop`), else true
   */
  readonly unregisterRunners?: boolean;
}
