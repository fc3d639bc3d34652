// The JobPodPolicy family: what each job pod gets, and the Pod Security level that follows from it.
export * from './security-profile';
export * from './props';
export * from './job-pod-policy';
