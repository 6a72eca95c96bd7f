/**
 * Commands name inputs in kebab-case (`insecure-registries`) as action.yml does; task.json names
 * must match ^[A-Za-z][A-Za-z0-9]*$, so tasks spell them in camelCase (`insecureRegistries`).
 */
export function azureName(name: string): string {
  return name.replace(/-([a-z0-9])/gi, (_match, letter: string) => letter.toUpperCase());
}
