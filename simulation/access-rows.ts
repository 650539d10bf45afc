/**
 * The access-control expectations of the estate, as data: the IAM simulation suite evaluates them
 * against the synthesized policies, and the "Who can do what to the backups" table in
 * docs/security.md is generated from them (`npm run security-table`). It lives here, not under
 * __tests__, because that script is not a test and must not import from the tests.
 */
export * from './access-rows/principals';
export * from './access-rows/example';
export * from './access-rows/other-estates';
