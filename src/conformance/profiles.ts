/**
 * CNI profiles: a CNI's known deviations from the NetworkPolicy spec, as data (one YAML file
 * per profile in `profiles/`, each deviation with the source that documents it). A deviation
 * either changes how the simulator reads the spec (`semantics`, so `--profile` predicts it)
 * or marks the cases of some tags as known to fail (`tags` alone, e.g. SCTP switched off).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import type { CompileOptions } from '../simulator/simulate.js';

/** Every switch of CompileOptions, as a profile may set it: a switch missing here does not compile. */
const SEMANTICS: { readonly [K in keyof Required<CompileOptions>]: z.ZodOptional<z.ZodBoolean> } = {
  ipBlockMatchesPods: z.boolean().optional(),
  selfTrafficAllowed: z.boolean().optional(),
  crossDirectionRules: z.boolean().optional(),
  egressNamedPortsByPolicyNamespace: z.boolean().optional(),
};

const deviationSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  summary: z.string().min(1),
  /** An upstream issue or documentation page. */
  source: z.url(),
  /**
   * The conformance tags whose cases the deviation affects. Without `semantics` every failure of
   * such a case is known; with `semantics` the profile predicts the deviation cell by cell, and
   * the tags only say which deviation a case shows.
   */
  tags: z.array(z.string()),
  semantics: z.strictObject(SEMANTICS).optional(),
});

const profileSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9.-]+$/),
  title: z.string().min(1),
  deviations: z.array(deviationSchema).min(1),
});

export type Deviation = z.infer<typeof deviationSchema>;
export type Profile = z.infer<typeof profileSchema>;

/** Where the profiles shipped with the package live (`<package>/profiles`). */
export const PROFILES_DIR = fileURLToPath(new URL('../../profiles/', import.meta.url));

/** Every profile in `dir`, by name; a malformed file is a bug in the package and throws. */
export function loadProfiles(dir: string = PROFILES_DIR): Map<string, Profile> {
  const profiles = new Map<string, Profile>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const parsed = profileSchema.safeParse(parse(readFileSync(join(dir, file), 'utf8')));
    if (!parsed.success) throw new Error(`profile ${file} is malformed: ${parsed.error.message}`);
    profiles.set(parsed.data.name, parsed.data);
  }
  return profiles;
}

/** How the simulator reads the spec under `profile` (every deviation's semantics merged). */
export function compileOptionsOf(profile: Profile | undefined): CompileOptions {
  return Object.assign({}, ...(profile?.deviations ?? []).map((d) => d.semantics ?? {})) as CompileOptions;
}

/** The deviations of `profile` that touch any of `tags`. */
export function deviationsFor(profile: Profile, tags: readonly string[]): Deviation[] {
  return profile.deviations.filter((d) => d.tags.some((t) => tags.includes(t)));
}
