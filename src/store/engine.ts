/** The two storage engines behind the same Kysely schema. */
export type Engine = 'sqlite' | 'postgres';
