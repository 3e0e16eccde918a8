/**
 * The part of colorjs.io this engine uses. Its own type declarations pull in the DOM library
 * (`/// <reference lib="dom" />`), which would change Node's fetch and Buffer types for the whole
 * program, so the untyped ESM build is imported and typed here.
 */
declare module 'colorjs.io/dist/color.js' {
  export default class Color {
    constructor(css: string);
    constructor(space: string, coords: number[], alpha?: number);
    readonly coords: Array<number | null>;
    readonly alpha: number | null;
    to(space: string): Color;
    mix(other: Color, p: number, options?: { space?: string; outputSpace?: string; premultiplied?: boolean; hue?: string }): Color;
  }
}
