/**
 * Local differential privacy on client updates: each client clips its update to L2 norm S and
 * adds N(0, sigma^2 S^2) itself before sending, the per-client Gaussian mechanism of
 * DP-FedAvg's Alg. 1 moved to the device (as in the local model of Kasiviswanathan et al.
 * 2011). The server, the network and every observer downstream see only noised updates, so
 * the `clientUpdates` observation of a run under local DP holds the noised ones, and any
 * aggregation is post-processing. A client behaviour, so it runs in-process only.
 */
import type { ClientBehaviour } from '../../targets/federated/client.js';
import { addScaled, l2Norm } from '../../targets/federated/vectors.js';
import { clipNorm } from '../robust/norm-bounded.js';
import type { ClippingLog } from './clipping-log.js';
import { noiseSource, type DpFedAvgMechanism, type DpFedAvgRuntime } from './dp-fedavg.js';

/**
 * The honest client, its update clipped and noised. It reports 1 example: its example count
 * would reach the server outside the guarantee, and a uniform mean is what DP-FedAvg's central
 * mode computes too. The noise comes from the client's own round stream (seeded runs reproduce).
 */
export function localDpClient(mechanism: DpFedAvgMechanism, clipping: ClippingLog, runtime: DpFedAvgRuntime = {}): ClientBehaviour {
  const { noiseMultiplier: sigma, clip } = mechanism;
  return {
    name: `local-dp(sigma=${Number(sigma.toPrecision(4))}, S=${clip})`,
    async update(ctx, honest) {
      const u = await honest();
      clipping.add(ctx.round, l2Norm(u.update));
      const update = noiseSource(ctx.rng, 'local-dp/noise', runtime).fillNormal(new Float32Array(u.update.length), sigma * clip);
      addScaled(update, clipNorm(u, clip).update, 1);
      return { client: u.client, update, examples: 1 };
    },
  };
}

/** `behaviours` with every one of the mechanism's N clients that has none running the local DP client. */
export function withLocalDp(
  behaviours: ReadonlyMap<number, ClientBehaviour>,
  mechanism: DpFedAvgMechanism,
  clipping: ClippingLog,
  runtime: DpFedAvgRuntime = {},
): Map<number, ClientBehaviour> {
  const client = localDpClient(mechanism, clipping, runtime);
  const out = new Map(behaviours);
  for (let k = 0; k < mechanism.clients; k++) if (!out.has(k)) out.set(k, client);
  return out;
}
