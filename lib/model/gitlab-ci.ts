/**
 * Typed model of the parts of `.gitlab-ci.yml` the generated pipelines use, as plain data.
 * Property names are GitLab's own keywords (`before_script`, `after_script`), so this interface
 * is the mapping table.
 *
 * @see https://docs.gitlab.com/ci/yaml/
 */
export interface GitlabCiPipeline {
  readonly stages: readonly string[];
  /** Global variables, available to every job. */
  readonly variables?: { readonly [name: string]: string };
  /** Jobs by name, rendered in insertion order after the global keywords. */
  readonly jobs: { readonly [name: string]: GitlabCiJob };
}

export interface GitlabCiJob {
  readonly stage: string;
  readonly tags?: readonly string[];
  readonly image?: GitlabCiImage;
  readonly services?: readonly GitlabCiService[];
  readonly variables?: { readonly [name: string]: string };
  readonly rules?: readonly GitlabCiRule[];
  readonly before_script?: readonly string[];
  readonly script: readonly string[];
  readonly after_script?: readonly string[];
  readonly environment?: { readonly name: string };
}

export interface GitlabCiImage {
  readonly name: string;
  /** `[""]` clears an image's ENTRYPOINT so the job's shell runs. */
  readonly entrypoint?: readonly string[];
}

export interface GitlabCiService {
  readonly name: string;
  readonly alias?: string;
  readonly command?: readonly string[];
}

export interface GitlabCiRule {
  readonly if?: string;
  readonly when?: 'always' | 'manual' | 'never' | 'on_success';
}

/** The pipeline as the YAML document GitLab reads: global keywords first, then one key per job. */
export function gitlabCiDocument(pipeline: GitlabCiPipeline): { [key: string]: unknown } {
  const reserved = ['stages', 'variables', 'default', 'include', 'workflow', 'image', 'services', 'cache'];
  const doc: { [key: string]: unknown } = { stages: pipeline.stages, variables: pipeline.variables };
  for (const [name, job] of Object.entries(pipeline.jobs)) {
    if (reserved.includes(name) || name.startsWith('.')) throw new Error(`"${name}" is a GitLab keyword or hidden job, not a job name`);
    doc[name] = job;
  }
  return doc;
}
