/** Route 53 in the model: the record changes of the workload's failover, validated as the API would. */
import { ModelError } from './services';
import type { AccountState, Handler } from './state';

/** Seconds until a record change is INSYNC. */
export const DNS_SYNC_SECONDS = 40;

/** Route 53's API in the model, keyed `route53:<action>`. */
export function route53Handlers(model: AccountState): Record<string, Handler> {
  const e = model.estate;
  const clock = model.clock;
  const h: Record<string, Handler> = {};
  h['route53:changeResourceRecordSets'] = (input) => {
    if (!e.hostedZoneId || input.HostedZoneId !== e.hostedZoneId) throw new ModelError('route53', 'NoSuchHostedZone', `No hosted zone found with ID: ${input.HostedZoneId}`);
    const changes = input.ChangeBatch?.Changes;
    if (!Array.isArray(changes) || changes.length === 0) throw new ModelError('route53', 'InvalidInput', 'ChangeBatch.Changes is required');
    const allowed = new Set(['Name', 'Type', 'SetIdentifier', 'Weight', 'Region', 'GeoLocation', 'Failover', 'MultiValueAnswer', 'TTL', 'ResourceRecords', 'AliasTarget', 'HealthCheckId', 'TrafficPolicyInstanceId', 'CidrRoutingConfig', 'GeoProximityLocation']);
    for (const change of changes) {
      if (!['CREATE', 'DELETE', 'UPSERT'].includes(change.Action)) throw new ModelError('route53', 'InvalidInput', `Invalid Action ${change.Action}`);
      const set = change.ResourceRecordSet ?? {};
      const unknown = Object.keys(set).filter((k) => !allowed.has(k));
      if (unknown.length > 0) throw new ModelError('route53', 'InvalidInput', `ResourceRecordSet has unknown field(s) ${unknown.join(', ')} (the API's members are Name, Type, TTL, ResourceRecords, ...)`);
      if (!set.AliasTarget && (typeof set.TTL !== 'number' || !Array.isArray(set.ResourceRecords))) {
        throw new ModelError('route53', 'InvalidInput', 'Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none in Change');
      }
    }
    const id = `/change/C${model.hexId('change', 12).toUpperCase()}`;
    model.dnsChanges.push({ at: clock.now(), hostedZoneId: input.HostedZoneId, changes, id });
    model.note('dns', `Route 53 ${changes.map((c: any) => `${c.Action} ${c.ResourceRecordSet.Name}`).join(', ')}`);
    return { ChangeInfo: { Id: id, Status: 'PENDING', SubmittedAt: new Date(clock.now()) } };
  };
  // A change is PENDING until it has propagated to every Route 53 server (seconds to a minute), then INSYNC.
  h['route53:getChange'] = (input) => {
    const id = `/change/${String(input.Id ?? '').replace(/^\/?change\//, '')}`;
    const change = model.dnsChanges.find((c) => c.id === id);
    if (!change) throw new ModelError('route53', 'NoSuchChange', `A change with the specified change ID does not exist: ${input.Id}`);
    const status = clock.now() - change.at >= DNS_SYNC_SECONDS * 1000 ? 'INSYNC' : 'PENDING';
    return { ChangeInfo: { Id: id, Status: status, SubmittedAt: new Date(change.at) } };
  };
  return h;
}
