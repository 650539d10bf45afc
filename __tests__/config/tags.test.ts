import { WORKLOAD_TAG } from '../../config/tags';
import { DR_WORKLOAD_TAG } from '../../functions/locate-recovery-points/logic';

describe('WORKLOAD_TAG', () => {
  it('is the tag the functions look workloads up by', () => {
    expect(WORKLOAD_TAG).toBe(DR_WORKLOAD_TAG);
    expect(WORKLOAD_TAG).toBe('dr:workload');
  });
});
