/**
 * The base of a function's own error class: its instances are named `name`, which is what the caller
 * sees as the error type (Lambda's `errorType`, and `ErrorEquals` in the state machine's Retry and
 * Catch), so the name is part of the contract and never derived from the class.
 */
export function namedError(name: string): new (message: string, options?: { cause?: unknown }) => Error {
  return class extends Error {
    constructor(message: string, options?: { cause?: unknown }) {
      super(message, options);
      this.name = name;
    }
  };
}
