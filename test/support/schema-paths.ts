import { z } from 'zod';

type Json = {
  $ref?: string;
  $defs?: Record<string, Json>;
  properties?: Record<string, Json>; items?: Json; anyOf?: Json[]; oneOf?: Json[]; allOf?: Json[];
};

/** Every field's dotted path in a zod object schema (`offence.warrant.reference`), read off its JSON Schema. */
export function collectPaths(schema: z.ZodType): string[] {
  const root = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  const paths: string[] = [];
  const walk = (node: Json, prefix: string): void => {
    if (node.$ref) return walk(root.$defs![node.$ref.replace('#/$defs/', '')]!, prefix);
    for (const alt of [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])]) walk(alt, prefix);
    if (node.items) walk(node.items, prefix);
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      const path = prefix ? `${prefix}.${key}` : key;
      paths.push(path);
      walk(child, path);
    }
  };
  walk(root, '');
  return [...new Set(paths)];
}
