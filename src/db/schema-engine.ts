// Prisma's schema engine compiled to WebAssembly, driven through the same driver adapter the
// app uses. The Prisma CLI would download a native engine binary, which is not available
// offline; this is the engine `prisma migrate deploy` and `prisma migrate diff` run on.
import { readFileSync } from 'node:fs';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import * as bg from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm';

declare global {
  var PRISMA_WASM_PANIC_REGISTRY: { set_message(message: string): void } | undefined;
}

// Node has WebAssembly; the project's lib settings (no DOM) do not declare it.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, object>) => { exports: Record<string, unknown> };
};

let lastPanic: string | undefined;
let loaded = false;

function loadWasm(): void {
  if (loaded) return;
  // The wasm code reports a Rust panic through this global before throwing.
  globalThis.PRISMA_WASM_PANIC_REGISTRY ??= {
    set_message: (message: string) => {
      lastPanic = message;
    },
  };
  // The package exports only its JS glue; the .wasm file sits next to it.
  const wasmUrl = new URL('schema_engine_bg.wasm', import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
  const module = new WebAssembly.Module(readFileSync(wasmUrl));
  const imports: Record<string, unknown> = { ...bg };
  // The engine arms timeouts it never clears (it imports no clearTimeout); unref them so a
  // finished engine does not keep the process alive for their duration.
  for (const name of Object.keys(imports).filter((n) => n.startsWith('__wbg_setTimeout_'))) {
    imports[name] = (callback: () => void, ms: number) => setTimeout(callback, ms >>> 0).unref();
  }
  const instance = new WebAssembly.Instance(module, { './schema_engine_bg.js': imports });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  loaded = true;
}

export interface SchemaFile {
  path: string;
  content: string;
}

export class SchemaEngineError extends Error {
  readonly code = 'schema_engine_failed';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SchemaEngineError';
  }
}

/**
 * Runs `work` on an engine connected through `adapterFactory`, then frees the engine and
 * closes every connection it opened (the engine does not close them, and an open pool would
 * keep the process alive).
 */
export async function withSchemaEngine<T>(
  schema: SchemaFile,
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  loadWasm();
  const opened: SqlDriverAdapter[] = [];
  const track = async (adapter: Promise<SqlDriverAdapter>) => {
    const connected = await adapter;
    opened.push(connected);
    return connected;
  };
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: adapterFactory.provider,
    adapterName: adapterFactory.adapterName,
    connect: () => track(adapterFactory.connect()),
    connectToShadowDb: () => track(adapterFactory.connectToShadowDb()),
  };
  let engine: SchemaEngine | undefined;
  try {
    engine = await bg.SchemaEngine.new({ datamodels: [[schema.path, schema.content]] }, () => {}, bindMigrationAwareSqlAdapterFactory(tracked));
    return await work(engine);
  } catch (err) {
    throw engineError(err);
  } finally {
    engine?.free();
    for (const adapter of opened) await adapter.dispose().catch(() => {});
  }
}

/** Turns what the engine throws (JSON-ish errors, panics) into an Error with a readable message. */
export function engineError(err: unknown): Error {
  if (err instanceof SchemaEngineError) return err;
  const panic = lastPanic;
  lastPanic = undefined;
  if (panic) return new SchemaEngineError(`schema engine panicked: ${panic}`, { cause: err });
  if (err instanceof Error) return new SchemaEngineError(err.message, { cause: err });
  if (typeof err === 'object' && err !== null && 'message' in err) {
    return new SchemaEngineError(String((err as { message: unknown }).message), { cause: err });
  }
  return new SchemaEngineError(String(err), { cause: err });
}

export type { MigrationList, SchemaEngine };
