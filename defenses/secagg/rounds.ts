/**
 * The rounds of Bonawitz et al. 2017 (Fig. 4) for an honest-but-curious server. Round 3
 * (ConsistencyCheck) and the signatures exist only against an active server and are not run here.
 * Each round is one upload from the clients and one reply from the server.
 */
export const ROUNDS = ['advertiseKeys', 'shareKeys', 'maskedInputCollection', 'unmasking'] as const;
export type Round = (typeof ROUNDS)[number];

export const SERVER = 'server';
/** A client by its index 0..n-1, or the server. */
export type PartyId = number | typeof SERVER;
