/** INSERT ... RETURNING always gives back the row it inserted; no row means the driver broke its contract. */
export function insertedRow<Row>(row: Row | undefined): Row {
  if (row === undefined) throw new Error('the database returned no row for an INSERT ... RETURNING');
  return row;
}
