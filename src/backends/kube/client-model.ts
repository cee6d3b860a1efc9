/**
 * client-node serializes a typed request body through its generated model classes, reading
 * each attribute by its TypeScript name: `V1NetworkPolicyIngressRule.from` is `_from` there
 * (a reserved word), so a plain object's `from` would be silently DROPPED on the way out, and
 * a response's `from` comes back as `_from`. These two functions rename between wire names and
 * model names, driven by the classes' own attribute maps (no hand-kept list). Anything unknown
 * to the model is left as is (and is then dropped by client-node: policies are validated
 * strictly before they get here, DESIGN "Dependencies").
 */
import * as k8s from '@kubernetes/client-node';

interface Attribute {
  readonly name: string;
  readonly baseName: string;
  readonly type: string;
}

function attributesOf(type: string): readonly Attribute[] | undefined {
  const cls = (k8s as unknown as Record<string, { getAttributeTypeMap?: () => Attribute[] } | undefined>)[type];
  return cls?.getAttributeTypeMap?.();
}

function elementType(type: string): string | undefined {
  return /^Array<(.+)>$/.exec(type)?.[1];
}

function convert(value: unknown, type: string, toModel: boolean): unknown {
  const element = elementType(type);
  if (element !== undefined) return Array.isArray(value) ? value.map((v) => convert(v, element, toModel)) : value;
  const attributes = attributesOf(type);
  if (attributes === undefined || typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const attr = attributes.find((a) => (toModel ? a.baseName : a.name) === key);
    if (attr === undefined) out[key] = v;
    else if (v !== undefined) out[toModel ? attr.name : attr.baseName] = convert(v, attr.type, toModel);
  }
  return out;
}

/** Wire-shaped JSON (`from`) -> the shape client-node's serializer reads (`_from`). */
export function toClientModel<T>(value: T, type: string): T {
  return convert(value, type, true) as T;
}

/** A deserialized client-node object (`_from`) -> wire-shaped plain JSON (`from`), undefined fields removed. */
export function fromClientModel(value: unknown, type: string): unknown {
  return convert(value, type, false);
}
