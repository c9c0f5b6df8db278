/** The OFFSET of a 1-based page; a page or limit below 1 is a caller's bug, not an empty page. */
export function pagingOffset(page: number, limit: number): number {
  if (!Number.isInteger(page) || page < 1 || !Number.isInteger(limit) || limit < 1) {
    throw new RangeError(
      `paging: expected whole numbers page >= 1 and limit >= 1, got page ${page}, limit ${limit}`,
    );
  }
  return (page - 1) * limit;
}
