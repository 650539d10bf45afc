// Also brings the typings of CDKTF's matchers (toHaveResourceWithProperties, ...) into every test.
import 'cdktf/lib/testing/adapters/jest';
import { Testing } from 'cdktf';

Testing.setupJest();

// CDKTF records a full stack trace for every token it creates, only to name where a token came from
// when it cannot be resolved. Under Jest each trace goes through source-map-support, which maps every
// frame through CDKTF's inline source maps: about a third of the suite's CPU time. The app skips these
// traces too (scripts/run-app.js, first of its CDKTF_PATCHES), and integration/app-launcher.test.ts
// proves the output is byte for byte the same with them recorded.
jest.mock('cdktf/lib/tokens/private/stack-trace', () => ({ captureStackTrace: (): string[] => [] }));
