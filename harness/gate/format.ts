/** Four significant digits: enough to see why 0.01004 fails a max of 0.01, short enough to read. */
export const formatNumber = (v: number): string => String(Number(v.toPrecision(4)));

/** A change, with its sign always shown. */
export const formatChange = (v: number): string => (v >= 0 ? `+${formatNumber(v)}` : formatNumber(v));
