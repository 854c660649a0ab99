/**
 * Launching the headless Chromium the browser tests drive: Debian's `/usr/bin/chromium` (override
 * with `SNNTS_CHROMIUM`) through playwright-core, with the flags that expose WebGL 2 and WebGPU on
 * SwiftShader (a CPU implementation of Vulkan), so every GPU code path runs without a GPU.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

/** The Chromium binary (Debian's package by default). */
export const CHROMIUM_PATH = process.env['SNNTS_CHROMIUM'] ?? '/usr/bin/chromium';

/**
 * Flags: headless, no sandbox (CI containers run as root), no network chatter, and WebGPU/WebGL
 * on SwiftShader (`--enable-unsafe-webgpu --enable-unsafe-swiftshader`; `--disable-gpu` keeps
 * Chromium off any real GPU, so results do not depend on the machine).
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--enable-unsafe-webgpu',
  '--enable-unsafe-swiftshader',
] as const;

/** Launches Chromium, or throws saying how to install it. */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`launchChromium: no Chromium at ${CHROMIUM_PATH}; install it with 'apt-get install -y chromium' or set SNNTS_CHROMIUM.`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], ...options });
}
