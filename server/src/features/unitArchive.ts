/**
 * What was found in the units of a large file that left the tree (see DocumentDiagnostics), by
 * their text (`around`: the unit's lines hashed, with where the unit lies in them), on one shelf
 * per header key and header text they were made under: the last two, since a keystroke that
 * breaks the file can change its header and the next one that mends it changes it back. Each
 * shelf keeps at most `limit` entries; the oldest go first.
 */
export class UnitArchive<T> {
  private shelves: { key: string; header: string; entries: Map<string, T> }[] = [];

  put(key: string, header: string, around: string, entry: T, limit: number): void {
    let shelf = this.shelf(key, header);
    if (!shelf) this.shelves = [(shelf = { key, header, entries: new Map() }), ...this.shelves.slice(0, 1)];
    shelf.entries.delete(around);
    shelf.entries.set(around, entry);
    for (const old of shelf.entries.keys()) {
      if (shelf.entries.size <= limit) break;
      shelf.entries.delete(old);
    }
  }

  get(key: string, header: string, around: string): T | undefined {
    return this.shelf(key, header)?.entries.get(around);
  }

  /** The header key of the latest entries kept for this header text. */
  keyFor(header: string): string | undefined {
    return this.shelves.find(s => s.header === header)?.key;
  }

  /** Whether anything is kept for this header text. */
  holds(header: string): boolean {
    return this.shelves.some(s => s.header === header && s.entries.size > 0);
  }

  private shelf(key: string, header: string) {
    return this.shelves.find(s => s.key === key && s.header === header);
  }
}
