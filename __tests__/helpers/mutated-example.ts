// Config suites test one change at a time against the bundled example; this is that copy-and-change.
import { exampleInput } from './synth';

export type Mutable = Record<string, any>;

/** A fresh copy of the bundled example with one mutation applied. */
export function mutated(mutate: (cfg: Mutable) => void): Mutable {
  const cfg = exampleInput() as Mutable;
  mutate(cfg);
  return cfg;
}
