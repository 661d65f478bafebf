import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Rng } from '../../../core/rng.js';
import type { CostLedger } from '../../../defenses/secagg/costs.js';
import { secureAggregate } from '../../../defenses/secagg/secure-aggregate.js';
import { InProcessTransport, type Delivery, type Transport } from '../../../defenses/secagg/transport.js';
import type { PartyId, Round } from '../../../defenses/secagg/rounds.js';

/** A stand-in for a network: every collect resolves later, and every message is logged. */
class SlowTransport implements Transport {
  readonly log: string[] = [];
  private readonly inner: InProcessTransport;
  constructor(ledger: CostLedger) {
    this.inner = new InProcessTransport(ledger);
  }
  send(round: Round, from: PartyId, to: PartyId, payload: Uint8Array): void {
    this.log.push(`${round} ${from}->${to}`);
    this.inner.send(round, from, to, payload);
  }
  async collect(round: Round, to: PartyId, expected: readonly PartyId[]): Promise<Delivery[]> {
    await sleep(1);
    return this.inner.collect(round, to, expected);
  }
}

test('the protocol runs over any Transport: an asynchronous one gives the same sum and costs in bytes', async () => {
  const rng = Rng.fromSeed('transport');
  const updates = Array.from({ length: 4 }, () => Float32Array.from({ length: 20 }, () => rng.uniform() - 0.5));
  const options = { dropout: { maskedInputCollection: [3] } };
  let slow: SlowTransport | undefined;
  const viaSlow = await secureAggregate(updates, options, Rng.fromSeed('same'), (ledger) => (slow = new SlowTransport(ledger)));
  const inProcess = await secureAggregate(updates, options, Rng.fromSeed('same'));
  assert.deepEqual(viaSlow.sum, inProcess.sum);
  assert.deepEqual(viaSlow.survivors, [0, 1, 2]);
  const bytes = (r: typeof viaSlow) => r.costs.clients.map((c) => Object.values(c).map((x) => [x.sentBytes, x.receivedBytes]));
  assert.deepEqual(bytes(viaSlow), bytes(inProcess));
  // Clients only talk to the server: 4 + 4 + 3 + 3 uploads (client 3 leaves before its masked input), 4 + 4 + 3 replies.
  assert.ok(slow!.log.every((line) => /->server$/.test(line) || /^\w+ server->\d$/.test(line)));
  assert.equal(slow!.log.length, 14 + 11);
});
