/**
 * A Corefile as plain data: server blocks of plugin directives. Only `lib/render/corefile.ts`
 * knows the Corefile's syntax.
 */

/** One Corefile line: a plugin and its arguments, with an optional `{ ... }` block of nested lines. */
export interface CorefileDirective {
  readonly name: string;
  readonly args?: readonly string[];
  readonly block?: readonly CorefileDirective[];
}

/** A Corefile server block, e.g. `.:53 { ... }`. */
export interface CorefileServerBlock {
  /** The zones and ports the block serves, e.g. `.:53`. */
  readonly keys: readonly string[];
  readonly directives: readonly CorefileDirective[];
}

/** A whole Corefile. */
export type Corefile = readonly CorefileServerBlock[];
