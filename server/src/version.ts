/** Replaced by the bundler with package.json's version; "dev" when running compiled sources. */
declare const NIX_AI_VERSION: string | undefined;
export const VERSION: string = typeof NIX_AI_VERSION === 'string' ? NIX_AI_VERSION : 'dev';
