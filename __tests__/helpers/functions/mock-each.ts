import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';

// The function tests mock several SDK clients at once: a class (its prototype, for the clients a handler creates itself) or one instance the test hands the logic.

type StubOf<T> = T extends { prototype: infer C } ? AwsClientStub<C> : AwsClientStub<T>;

export function mockEach<T extends object[]>(...clients: T): { [K in keyof T]: StubOf<T[K]> } {
  return clients.map((client) => mockClient(client as Parameters<typeof mockClient>[0])) as { [K in keyof T]: StubOf<T[K]> };
}
