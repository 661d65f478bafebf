import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../core/atomic.js';
import type { TrainStats } from '../targets/training/trainer.js';

/** A trained model as the cache keeps it: its weights and how its training went. */
export interface CachedModel {
  weights: Float32Array[];
  stats: TrainStats;
}

const FORMAT = 1;
const SUFFIX = '.model';

interface Header {
  format: number;
  key: string;
  lengths: number[];
  stats: TrainStats;
  sha256: string;
}

/**
 * A content-addressed store of trained models: the key hashes everything that determines the
 * weights (data, rows, model, recipe, seed, backend, tool version), so a hit is the model that
 * training would produce. Entries are written to a temp file and renamed, and carry a checksum:
 * a killed run leaves no partial entry, and a damaged one is dropped and retrained.
 */
export class ModelCache {
  constructor(readonly dir: string) {}

  private path(key: string): string {
    return join(this.dir, key.slice(0, 2), key + SUFFIX);
  }

  async get(key: string): Promise<CachedModel | undefined> {
    let buf: Buffer;
    try {
      buf = await readFile(this.path(key));
    } catch {
      return undefined;
    }
    const model = decode(buf, key);
    if (!model) await rm(this.path(key), { force: true });
    return model;
  }

  async put(key: string, model: CachedModel): Promise<void> {
    await writeFileAtomic(this.path(key), encode(key, model));
  }

  /** Keys of every entry, for shard blobs and merging. */
  async keys(): Promise<string[]> {
    const out: string[] = [];
    for (const sub of await readdir(this.dir).catch(() => [] as string[])) {
      for (const f of await readdir(join(this.dir, sub)).catch(() => [] as string[])) {
        if (f.endsWith(SUFFIX)) out.push(f.slice(0, -SUFFIX.length));
      }
    }
    return out.sort();
  }

  /** Copies entries into another cache (a shard's blob, or the cache a merge runs on). */
  async copyTo(other: ModelCache, keys: string[]): Promise<void> {
    for (const key of keys) {
      await mkdir(dirname(other.path(key)), { recursive: true });
      await copyFile(this.path(key), other.path(key));
    }
  }
}

function encode(key: string, m: CachedModel): Buffer {
  const payload = Buffer.concat(m.weights.map((w) => Buffer.from(w.buffer, w.byteOffset, w.byteLength)));
  const header: Header = {
    format: FORMAT,
    key,
    lengths: m.weights.map((w) => w.length),
    stats: m.stats,
    sha256: createHash('sha256').update(payload).digest('hex'),
  };
  const head = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(head.length);
  return Buffer.concat([len, head, payload]);
}

function decode(buf: Buffer, key: string): CachedModel | undefined {
  try {
    const n = buf.readUInt32LE(0);
    const header = JSON.parse(buf.subarray(4, 4 + n).toString('utf8')) as Header;
    const payload = buf.subarray(4 + n);
    const total = header.lengths.reduce((s, l) => s + l, 0);
    if (header.format !== FORMAT || header.key !== key || payload.length !== total * 4) return undefined;
    if (createHash('sha256').update(payload).digest('hex') !== header.sha256) return undefined;
    // Copy into an aligned buffer: a Float32Array view needs a 4-byte-aligned offset.
    const all = new Float32Array(total);
    new Uint8Array(all.buffer).set(payload);
    let at = 0;
    const weights = header.lengths.map((l) => all.subarray(at, (at += l)));
    return { weights, stats: header.stats };
  } catch {
    return undefined;
  }
}
