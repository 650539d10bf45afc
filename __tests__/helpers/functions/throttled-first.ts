// The throttling tests let a call fail with a few throttling errors before it answers, to see each retry and its backoff.
export function throttledFirst<B extends { rejectsOnce(error: Error): B }>(behavior: B, ...errors: Error[]): B {
  return errors.reduce((b, error) => b.rejectsOnce(error), behavior);
}
