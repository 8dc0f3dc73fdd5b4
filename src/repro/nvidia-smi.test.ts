import { describe, expect, it } from 'vitest';
import { parseCudaVersion, parseGpuInventory, parseGpuUsage } from './nvidia-smi.js';

describe('nvidia-smi parsing (recorded output)', () => {
  it('reads the GPU inventory, the CUDA version and per-GPU usage', () => {
    expect(parseGpuInventory('NVIDIA H100 80GB HBM3, 550.54.15, 81559\nNVIDIA H100 80GB HBM3, 550.54.15, [N/A]\n')).toEqual([
      { name: 'NVIDIA H100 80GB HBM3', driver: '550.54.15', memoryMb: 81559 },
      { name: 'NVIDIA H100 80GB HBM3', driver: '550.54.15', memoryMb: null },
    ]);
    expect(parseCudaVersion('| NVIDIA-SMI 550.54.15   Driver Version: 550.54.15   CUDA Version: 12.4     |')).toBe('12.4');
    expect(parseCudaVersion('no banner')).toBeNull();
    expect(parseGpuUsage('87, 40321\n0, 3\n')).toEqual({
      'system/gpu0_utilization_percent': 87, 'system/gpu0_memory_mb': 40321,
      'system/gpu1_utilization_percent': 0, 'system/gpu1_memory_mb': 3,
    });
    expect(parseGpuUsage('[N/A], [N/A]\n')).toEqual({});
  });
});
