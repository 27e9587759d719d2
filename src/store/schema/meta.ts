/** Key/value facts about the store itself (e.g. the id of the master key that encrypted the secrets). */
export interface MetaTable {
  key: string;
  value: string;
}
