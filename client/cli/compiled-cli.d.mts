/** Types of compiled-cli.mjs (plain JavaScript: it runs before anything can compile TypeScript). */
export declare const projectRoot: string;
export declare const cacheDir: string;
/** client/cli/main.js of the compiled build when nothing it came from changed since, else undefined. */
export declare function freshCompiledCli(): string | undefined;
/** Compiles the sources into .cache/cli/<build>/; returns client/cli/main.js of the build. */
export declare function compileCli(): Promise<string>;
