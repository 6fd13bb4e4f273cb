// Errors that stop the database layer, each with a snake_case code and a message that names
// the problem and the fix, so start-up and the CLI can print them as they are.

export type DatabaseErrorCode =
  | 'database_unreachable'
  | 'database_missing'
  | 'database_auth_failed'
  | 'database_corrupt'
  | 'database_not_managed'
  | 'migration_failed'
  | 'migration_locked'
  | 'prisma_client_missing'
  | 'migration_history_mismatch'
  | 'encryption_key_missing'
  | 'encryption_key_invalid'
  | 'encryption_key_unknown'
  | 'encryption_key_check_failed'
  | 'database_path_invalid'
  | 'secret_decrypt_failed';

export class DatabaseError extends Error {
  readonly code: DatabaseErrorCode;
  constructor(code: DatabaseErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DatabaseError';
    this.code = code;
  }
}

/** Prisma's code for an insert that a unique constraint refused: someone else got there first. */
export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'P2002';
}
