import type { LogLine } from './recorded-logs';

// The logic functions log each error they rethrow as one line under their own failure message; the tests check the error and that line together.
export async function expectLoggedRejection(promise: Promise<unknown>, errorClass: new (...args: never[]) => Error, message: string, errorLines: LogLine[], failureMessage: string): Promise<void> {
  await expect(promise).rejects.toThrow(errorClass);
  await expect(promise).rejects.toThrow(message);
  expect(errorLines).toEqual([expect.objectContaining({ message: failureMessage, errorMessage: expect.stringContaining(message) })]);
}
