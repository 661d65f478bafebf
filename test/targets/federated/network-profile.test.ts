import { test } from 'node:test';
import assert from 'node:assert/strict';
import { transfer, type RoundCost } from '../../../targets/federated/costs.js';
import { NETWORK_PROFILES, networkProfileSchema, projectRoundMs, resolveProfile, summarizeCosts } from '../../../targets/federated/network-profile.js';

/** Plain FedAvg, 10 clients x 1M parameters: 4 MB down and up per client. */
const clients = Array.from({ length: 10 }, (_, k) => k);
const cost: RoundCost = {
  round: 0,
  exchanges: [transfer('broadcast', 'down', clients.map((k) => [k, 4e6] as const)), transfer('upload', 'up', clients.map((k) => [k, 4e6] as const))],
  clientComputeMs: 200,
  serverComputeMs: 10,
  measuredMs: 500,
};

test('projection: latency per trip, the busier of client and server link, compute', () => {
  // LAN: each exchange 1 ms + max(4 MB / 1 Gbit/s = 32 ms, 40 MB through the server's 1 Gbit/s = 320 ms).
  assert.equal(projectRoundMs(cost, NETWORK_PROFILES.lan), 210 + 2 * (1 + 320));
  // WAN with a fat server link: the 20 Mbit/s client link dominates, 4 MB = 1600 ms.
  const wan = resolveProfile({ latencyMs: 50, mbps: 20, serverMbps: 10_000 });
  assert.equal(projectRoundMs(cost, wan), 210 + 2 * (50 + 1600));
  assert.deepEqual(resolveProfile('wan'), { name: 'wan', latencyMs: 50, mbps: 20, serverMbps: 20 });
  assert.equal(resolveProfile({ latencyMs: 5, mbps: 100 }).serverMbps, 100);
  assert.ok(!networkProfileSchema.safeParse({ latencyMs: 1 }).success);
  assert.ok(!networkProfileSchema.safeParse('dialup').success);
});

test('summary: per-client bytes, messages and both times, averaged over rounds', () => {
  const s = summarizeCosts([cost, { ...cost, round: 1, measuredMs: 300 }], NETWORK_PROFILES.lan);
  assert.deepEqual(
    { ...s, profile: s.profile.name },
    { profile: 'lan', rounds: 2, measuredMsPerRound: 400, projectedMsPerRound: 852, upBytesPerClient: 4e6, downBytesPerClient: 4e6, messagesPerRound: 20 },
  );
});
