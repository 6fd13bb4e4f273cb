// Types for the plain-JavaScript choice between dist/ and src/ (the launchers import it).
export declare const rootDir: string;
export declare const srcDir: string;
export declare const distDir: string;
export declare const fingerprintFile: string;
export declare function sourceFingerprint(sources?: string): string;
export declare function distIsCurrent(root?: string): boolean;
export declare function entryUrl(sourcePath: string, compiled?: boolean, root?: string): string;
