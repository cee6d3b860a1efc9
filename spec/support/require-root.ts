/**
 * Specs that make network namespaces need root. They fail loudly without it, unless the user
 * opted out with NPH_SKIP_ROOT_TESTS=1 (then they are skipped, and the reason printed).
 */
import type { Context } from 'mocha';

export function requireRoot(ctx: Context): void {
  if (process.getuid?.() === 0) return;
  if (process.env.NPH_SKIP_ROOT_TESTS === '1') {
    console.log(`      skipped (NPH_SKIP_ROOT_TESTS=1): "${ctx.test?.title ?? ctx.currentTest?.title}" needs root and network namespaces`);
    ctx.skip();
  }
  throw new Error('this spec needs root (network namespaces, nftables): run the tests as root, or set NPH_SKIP_ROOT_TESTS=1 to skip it knowingly');
}
