import { cpus, totalmem, platform, arch } from 'node:os';
import type { Environment } from '../core/results.js';

export function environment(backend: string): Environment {
  const cpu = cpus();
  return {
    node: process.version,
    platform: `${platform()}-${arch()}`,
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    backend,
  };
}
