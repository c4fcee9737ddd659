// The API's lists are paginated objects, and the schema now says so (next and previous may be
// left out when there is no such page). This module is the one place that knows the shape;
// `asPage` still accepts a bare array so older list endpoints keep working.

export interface Page<T> {
  count: number;
  next?: string | null;
  previous?: string | null;
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
