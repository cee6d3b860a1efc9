/**
 * Headless Chromium for specs: Debian's `chromium` (scripts/install-deps.sh installs it),
 * driven by playwright-core, with the flags that keep it off the network. Each launch gets a
 * fresh profile.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian's chromium package puts the browser. */
export const CHROMIUM = process.env.NPH_CHROMIUM ?? '/usr/bin/chromium';

/** Flags that keep the browser quiet and offline: no background fetches, no updates, no sync. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches headless Chromium; fails with what to install when it is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium (sudo scripts/install-deps.sh), or set NPH_CHROMIUM`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS] });
}
