import type { PackageInfo } from './types';

/** Packages and package sets by their path under `pkgs`, with set aliases resolved. */
export class PackageIndex {
  private readonly byPath = new Map<string, PackageInfo>();
  private readonly byParent = new Map<string, PackageInfo[]>();

  constructor(packages: readonly PackageInfo[]) {
    for (const p of packages) {
      this.byPath.set(p.path, p);
      const parent = p.path.includes('.') ? p.path.slice(0, p.path.lastIndexOf('.')) : '';
      const list = this.byParent.get(parent) ?? [];
      list.push(p);
      this.byParent.set(parent, list);
    }
  }

  /** The catalog path a user's path stands for (`linuxPackages_6_12` -> `linuxPackages`, …). */
  resolve(path: readonly string[]): string {
    let cur = '';
    for (let i = 0; i < path.length; i++) {
      let seg = path[i];
      if (i === 0 && /^linuxPackages_/.test(seg)) seg = 'linuxPackages';
      const next = cur ? `${cur}.${seg}` : seg;
      const info = this.byPath.get(next);
      cur = info?.membersLike !== undefined && i < path.length - 1 ? info.membersLike : next;
    }
    return cur;
  }

  get(path: readonly string[]): PackageInfo | undefined {
    const resolved = this.resolve(path);
    return this.byPath.get(resolved) ?? this.byPath.get(path.join('.'));
  }

  /** The members we know of a set (the top level for an empty path). */
  children(path: readonly string[]): PackageInfo[] {
    let key = this.resolve(path);
    const info = this.byPath.get(key);
    if (info?.membersLike !== undefined) key = info.membersLike;
    return this.byParent.get(key) ?? [];
  }
}
