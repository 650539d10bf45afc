// The example estate's DR region and accounts, named once for the function tests that build ARNs and clients from them.
export const DR_REGION = 'ap-northeast-1';
export const CENTRAL_ACCOUNT = '111111111111';
export const DR_ACCOUNT = '222222222222';
export const WORKLOAD_ACCOUNT = '333333333333';
