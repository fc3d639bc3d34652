// The EnvironmentReport family: its props, the construct, the checklist, and the runbook's commands.
export * from './props';
export { CheckStatus, ChecklistItem } from './checklist';
export * from './environment-report';
