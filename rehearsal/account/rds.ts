/** RDS in the model: the DB instances and Aurora clusters AWS Backup restored, described and deleted. */
import { ModelError } from './services';
import type { AccountState, Handler } from './state';

/** RDS's API in the model, keyed `rds:<action>`. */
export function rdsHandlers(model: AccountState): Record<string, Handler> {
  const e = model.estate;
  const clock = model.clock;
  const h: Record<string, Handler> = {};
  h['rds:describeDBInstances'] = (input) => {
    const db = model.dbInstances.get(input.DBInstanceIdentifier);
    if (!db) throw new ModelError('rds', 'DBInstanceNotFoundFault', `DBInstance ${input.DBInstanceIdentifier} not found.`);
    return { DBInstances: [{ DBInstanceIdentifier: db.id, DBInstanceStatus: db.status, DBInstanceArn: `arn:aws:rds:${e.region}:${e.drAccountId}:db:${db.id}`, ...(db.engine ? { Engine: db.engine } : {}) }] };
  };
  h['rds:deleteDBInstance'] = (input) => {
    const db = model.dbInstances.get(input.DBInstanceIdentifier);
    if (!db) throw new ModelError('rds', 'DBInstanceNotFoundFault', `DBInstance ${input.DBInstanceIdentifier} not found.`);
    if (db.status === 'deleting') throw new ModelError('rds', 'InvalidDBInstanceStateFault', `Instance ${db.id} is already being deleted.`);
    db.status = 'deleting';
    model.deletions.push({ at: clock.now(), kind: 'db-instance', id: db.id });
    model.note('deletion', `DB instance ${db.id} deleting`);
    clock.after(300_000, () => model.dbInstances.delete(db.id));
    return { DBInstance: { DBInstanceIdentifier: db.id, DBInstanceStatus: 'deleting' } };
  };
  h['rds:describeDBClusters'] = (input) => {
    const c = model.dbInstances.get(`cluster:${input.DBClusterIdentifier}`);
    if (!c) throw new ModelError('rds', 'DBClusterNotFoundFault', `DBCluster ${input.DBClusterIdentifier} not found.`);
    return { DBClusters: [{ DBClusterIdentifier: c.id, Status: c.status, DBClusterMembers: [], DeletionProtection: false, ...(c.engine ? { Engine: c.engine } : {}) }] };
  };
  h['rds:deleteDBCluster'] = (input) => {
    const key = `cluster:${input.DBClusterIdentifier}`;
    const c = model.dbInstances.get(key);
    if (!c) throw new ModelError('rds', 'DBClusterNotFoundFault', `DBCluster ${input.DBClusterIdentifier} not found.`);
    c.status = 'deleting';
    model.deletions.push({ at: clock.now(), kind: 'db-cluster', id: c.id });
    clock.after(300_000, () => model.dbInstances.delete(key));
    return { DBCluster: { DBClusterIdentifier: c.id, Status: 'deleting' } };
  };
  return h;
}
