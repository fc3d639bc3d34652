/** When the kubelet pulls job images (`pull_policy` of `[runners.kubernetes]`). */
export enum PullPolicy {
  /** Pull on every job: always the current image for a moving tag, at the cost of a registry round trip. */
  ALWAYS = 'always',
  /** Pull only when the node does not have the image: fastest with pinned tags and pre-pulled images. */
  IF_NOT_PRESENT = 'if-not-present',
  /** Never pull: the image must already be on the node. */
  NEVER = 'never',
}
