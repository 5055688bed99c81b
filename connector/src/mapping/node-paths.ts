// Reads values out of a Scope node by dot paths ("scenarioRelease.scenario.name"); `*` walks every
// element of an array ("events.nodes.*.createdAt"). Paths let the selection sets (scope/*-fields.ts)
// say where each value lives without the mapping guessing at undocumented shapes.
export type NodePath = string;

export function valuesAt(node: unknown, path: NodePath): unknown[] {
  let current: unknown[] = [node];
  for (const segment of path.split('.')) {
    const next: unknown[] = [];
    for (const value of current) {
      if (segment === '*') {
        if (Array.isArray(value)) next.push(...value);
      } else if (Array.isArray(value) && /^\d+$/.test(segment)) {
        next.push(value[Number(segment)]);
      } else if (
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value)
      ) {
        if (Object.hasOwn(value, segment))
          next.push((value as Record<string, unknown>)[segment]);
      }
    }
    current = next;
  }
  return current.filter((value) => value !== undefined && value !== null);
}

/** The first present value along the paths, in order. */
export function firstValue(node: unknown, paths: readonly NodePath[]): unknown {
  for (const path of paths) {
    const [value] = valuesAt(node, path);
    if (value !== undefined) return value;
  }
  return undefined;
}

export function firstString(
  node: unknown,
  paths: readonly NodePath[]
): string | undefined {
  for (const path of paths) {
    for (const value of valuesAt(node, path)) {
      if (typeof value === 'string' && value.trim() !== '') return value.trim();
      if (typeof value === 'number' && Number.isFinite(value))
        return String(value);
    }
  }
  return undefined;
}
