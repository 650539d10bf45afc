import { sharedAcrossRegistries } from '../../config/shared-across-registries';

describe('sharedAcrossRegistries', () => {
  it('creates the value once per name, and every module registry of the process gets that one', () => {
    const name = `__drTest${Math.random().toString(36).slice(2)}` as const;
    let created = 0;
    const first = sharedAcrossRegistries(name, () => (created++, new Set<string>()));
    first.add('x');
    expect(sharedAcrossRegistries(name, () => (created++, new Set<string>()))).toBe(first);
    let fresh: typeof sharedAcrossRegistries | undefined;
    jest.isolateModules(() => {
      fresh = (require('../../config/shared-across-registries') as typeof import('../../config/shared-across-registries')).sharedAcrossRegistries;
    });
    expect(fresh!(name, () => (created++, new Set<string>())).has('x')).toBe(true);
    expect(created).toBe(1);
  });

  it('gives the test files the values the test environment shares (__tests__/environment.js)', () => {
    const g = globalThis as Record<string, unknown>;
    for (const name of ['__drValidAslDefinitions', '__drBundleInputsChecked', '__drScheduleAnswers'] as const) {
      expect(g[name]).toBeDefined();
      expect(sharedAcrossRegistries(name, () => 'not this')).toBe(g[name]);
    }
  });
});
