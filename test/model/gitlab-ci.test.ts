import { gitlabCiDocument } from '../../lib/model/gitlab-ci';

describe('gitlabCiDocument()', () => {
  test('global keywords first, then one key per job in insertion order', () => {
    const doc = gitlabCiDocument({ stages: ['test'], variables: { A: '1' }, jobs: { b: { stage: 'test', script: ['b'] }, a: { stage: 'test', script: ['a'] } } });
    expect(Object.keys(doc)).toEqual(['stages', 'variables', 'b', 'a']);
    expect(doc.a).toEqual({ stage: 'test', script: ['a'] });
  });

  test('a job named like a GitLab keyword or hidden job is refused', () => {
    expect(() => gitlabCiDocument({ stages: ['test'], jobs: { cache: { stage: 'test', script: ['x'] } } })).toThrow(/"cache" is a GitLab keyword/);
    expect(() => gitlabCiDocument({ stages: ['test'], jobs: { '.hidden': { stage: 'test', script: ['x'] } } })).toThrow(/hidden job/);
  });
});
