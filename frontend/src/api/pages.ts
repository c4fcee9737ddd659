// The API's lists are paginated objects; today's schema documents some of them as bare arrays
// (issue 16 fixes that). This module is the one place that knows: when the schema says
// `Page`, `asPage` becomes a no-op and can be deleted.

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

/** Accepts what a list endpoint really returns, whatever its schema currently says. */
export function asPage<T>(body: T[] | Page<T>): Page<T> {
  if (Array.isArray(body)) {
    return { count: body.length, next: null, previous: null, results: body };
  }
  return body;
}

/** The largest page the API serves; used where a screen needs "all" of a small list. */
export const MAX_PAGE_SIZE = 100;

/**
 * Adds page/page_size to a list's query. The API accepts them everywhere it paginates, but
 * today's schema does not declare them (issue 16 will), hence the one cast: `never` fits any
 * operation's query type. When the schema declares paging, type the query per operation instead.
 */
export function withPaging(query: object, page: number, pageSize?: number): never {
  return { ...query, page, ...(pageSize !== undefined && { page_size: pageSize }) } as never;
}
