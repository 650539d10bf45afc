// Also brings the typings of CDKTF's matchers (toHaveResourceWithProperties, ...) into every test.
import 'cdktf/lib/testing/adapters/jest';
import { Testing } from 'cdktf';

Testing.setupJest();
