/**
 * One replication on a worker thread (piscina): the same `replicate` as in process, so a replication
 * gives the same figures wherever it runs. Takes the run's spec and the replication's number.
 */
import { replicate, type RunSpec } from './run';
import type { ReplicationResult } from './engine';

export interface ReplicationTask {
  spec: RunSpec;
  replication: number;
}

export interface ReplicationDone {
  replication: number;
  result: ReplicationResult;
  seconds: number;
}

export default function runTask({ spec, replication }: ReplicationTask): ReplicationDone {
  const started = performance.now();
  const result = replicate(spec, replication);
  return { replication, result, seconds: (performance.now() - started) / 1000 };
}
