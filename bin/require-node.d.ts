// Types for the plain-JavaScript version check (it must run on old Node, so it cannot be TypeScript).
export declare const requiredNode: string;
export declare function isSupportedNode(version: string): boolean;
export declare function unsupportedNodeMessage(task: string, version: string, execPath?: string): string;
export declare function requireNode(task: string): void;
