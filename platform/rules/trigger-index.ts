type Filter = Readonly<Record<string, string | number | boolean>>;

interface Shape<T> {
  fields: string[];
  byValues: Map<string, T[]>;
}

/**
 * Rules indexed by trigger: event type, then the set of payload fields a
 * filter names (its shape), then those fields' values. An event costs one
 * lookup per shape in use for its type — usually one or two — however many
 * rules there are.
 */
export class TriggerIndex<T> {
  private readonly byType = new Map<string, Map<string, Shape<T>>>();

  add(type: string, filter: Filter, item: T): void {
    const fields = Object.keys(filter).sort();
    const shapeKey = fields.join('\u0000');
    let shapes = this.byType.get(type);
    if (shapes === undefined) this.byType.set(type, (shapes = new Map()));
    let shape = shapes.get(shapeKey);
    if (shape === undefined) shapes.set(shapeKey, (shape = { fields, byValues: new Map() }));
    const valuesKey = valueKey(fields, filter);
    // Copy on write, as remove does: a list match() returned stays as it was
    // while the rules it holds fire (and maybe bind other rules).
    const items = shape.byValues.get(valuesKey);
    shape.byValues.set(valuesKey, items === undefined ? [item] : [...items, item]);
  }

  remove(type: string, filter: Filter, item: T): void {
    const fields = Object.keys(filter).sort();
    const shapeKey = fields.join('\u0000');
    const shapes = this.byType.get(type);
    const shape = shapes?.get(shapeKey);
    if (shape === undefined) return;
    const valuesKey = valueKey(fields, filter);
    const items = shape.byValues.get(valuesKey);
    if (items === undefined) return;
    const remaining = items.filter((i) => i !== item);
    if (remaining.length > 0) shape.byValues.set(valuesKey, remaining);
    else shape.byValues.delete(valuesKey);
    if (shape.byValues.size === 0) shapes!.delete(shapeKey);
    if (shapes!.size === 0) this.byType.delete(type);
  }

  /** The items whose filter the payload satisfies; undefined when none. */
  match(type: string, payload: Record<string, unknown>): T[] | undefined {
    const shapes = this.byType.get(type);
    if (shapes === undefined) return undefined;
    if (shapes.size === 1) {
      for (const shape of shapes.values()) return shape.byValues.get(valueKey(shape.fields, payload));
    }
    let out: T[] | undefined;
    for (const shape of shapes.values()) {
      const items = shape.byValues.get(valueKey(shape.fields, payload));
      if (items !== undefined) out = out === undefined ? items.slice() : out.concat(items);
    }
    return out;
  }
}

function valueKey(fields: readonly string[], values: Readonly<Record<string, unknown>>): string {
  if (fields.length === 0) return '';
  if (fields.length === 1) return String(values[fields[0]!]);
  let key = '';
  for (const field of fields) key += String(values[field]) + '\u0000';
  return key;
}
