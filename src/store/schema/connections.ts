/** One row per connection; parameters (secrets as envelopes) are JSON text so their order is kept. */
export interface ConnectionsTable {
  id: string;
  name: string;
  /** Lower-cased, trimmed, NFC name: the unique index that makes names unique regardless of case. */
  name_key: string;
  type: string;
  version: number;
  /** JSON array of StoredParameter. */
  parameters: string;
  created_at: string;
  updated_at: string;
  /** JSON ConnectionTestSummary or null. */
  last_test: string | null;
  /** JSON ConnectionTokenState or null. */
  token_state: string | null;
}
