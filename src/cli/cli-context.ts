/**
 * What a command action receives: where to print, and lazily loaded
 * configuration and clients. Nothing heavy loads until an action asks.
 */
import type { Command } from 'commander';
import type { CairnConfig, ConfigOverrides } from '../config/config.js';
import type { TrackingApi } from '../tracking/tracking-api.js';
import type { Output } from './output.js';

export interface CliContext {
  readonly out: Output;
  /** The configuration: environment (read by src/config only), the global `--url`, then `overrides`. */
  config(overrides?: ConfigOverrides): Promise<CairnConfig>;
  /** A tracking client for the configured server, created on first use. */
  tracking(): Promise<TrackingApi>;
}

export function createCliContext(program: Command, out: Output): CliContext {
  const config = async (overrides: ConfigOverrides = {}): Promise<CairnConfig> => {
    const { loadConfig } = await import('../config/config.js');
    const { url } = program.opts<{ url?: string }>();
    return loadConfig({ ...(url === undefined ? {} : { url }), ...overrides });
  };
  let client: Promise<TrackingApi> | undefined;
  return {
    out,
    config,
    tracking() {
      client ??= (async () => {
        const cfg = await config();
        const { HttpTrackingClient } = await import('../client/index.js');
        return new HttpTrackingClient({ url: cfg.url, token: cfg.token });
      })();
      return client;
    },
  };
}
