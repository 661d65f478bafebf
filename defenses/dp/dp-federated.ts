/**
 * The one call a runner makes to put DP-FedAvg into a federated run: the aggregator and client
 * behaviours for trainFederated, in the mode the mechanism says.
 */
import type { Aggregator } from '../../targets/federated/aggregator.js';
import type { ClientBehaviour } from '../../targets/federated/client.js';
import { ClippingLog } from './clipping-log.js';
import { dpFedAvg, type DpFedAvgMechanism, type DpFedAvgRuntime } from './dp-fedavg.js';
import { withLocalDp } from './local-dp.js';

/** A federated run's aggregator and client behaviours with DP-FedAvg in place. */
export interface DpFederated {
  aggregator: Aggregator;
  /** Central: the behaviours given. Local: every other client runs the local DP client. */
  behaviours: Map<number, ClientBehaviour>;
  /** The clip's effect per round. */
  clipping: ClippingLog;
}

/**
 * DP-FedAvg in the mechanism's mode, for trainFederated. Central: `aggregator` wrapped by
 * dpFedAvg (wrap secure aggregation around the result, not inside). Local: the aggregator as
 * given (the server only post-processes noised updates) and every client without a behaviour
 * of its own clips and noises its update; a client with one (a poisoner) is the adversary and
 * keeps it.
 */
export function dpFederated(
  mechanism: DpFedAvgMechanism,
  setup: { aggregator: Aggregator; behaviours?: ReadonlyMap<number, ClientBehaviour> },
  runtime: DpFedAvgRuntime = {},
): DpFederated {
  const clipping = new ClippingLog(mechanism.clip);
  const behaviours = setup.behaviours ?? new Map<number, ClientBehaviour>();
  if (mechanism.mode === 'local') return { aggregator: setup.aggregator, behaviours: withLocalDp(behaviours, mechanism, clipping, runtime), clipping };
  return { aggregator: dpFedAvg(setup.aggregator, mechanism, clipping, runtime), behaviours: new Map(behaviours), clipping };
}
