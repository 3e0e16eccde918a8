/**
 * Graph's error vocabulary as the sandbox speaks it. Clients branch on `code`
 * (docs/GRAPH-NOTES.md §7), so codes and statuses here are the ones Graph returns;
 * messages follow Graph's wording where it is known.
 */

/** A Graph error response waiting to be written: status, code, message and extra headers. */
export class GraphErrorResponse extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'GraphErrorResponse';
  }
}

/** Graph's `innerError.date`: UTC, seconds precision, no zone designator. */
export function graphErrorDate(at: Date): string {
  return at.toISOString().slice(0, 19);
}

/** The exact error body Graph sends. */
export function errorBody(code: string, message: string, requestId: string, clientRequestId: string, at: Date): object {
  return { error: { code, message, innerError: { date: graphErrorDate(at), 'request-id': requestId, 'client-request-id': clientRequestId } } };
}

/** 404 for a well-formed id that names nothing. */
export function itemNotFound(): GraphErrorResponse {
  return new GraphErrorResponse(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
}

/** 400 for an id that cannot be an Exchange id at all. */
export function idMalformed(): GraphErrorResponse {
  return new GraphErrorResponse(400, 'ErrorInvalidIdMalformed', 'Id is malformed.');
}

/** 400 for a property name the entity type does not have. */
export function unknownProperty(name: string, typeName: string): GraphErrorResponse {
  return new GraphErrorResponse(400, 'RequestBroker--ParseUri', `Could not find a property named '${name}' on type '${typeName}'.`);
}

/** 400 for a `$filter` that does not parse or type-check. */
export function invalidFilter(detail: string): GraphErrorResponse {
  return new GraphErrorResponse(400, 'BadRequest', `Invalid filter clause: ${detail}`);
}

/** 400 for a path segment no route knows. */
export function segmentNotFound(segment: string): GraphErrorResponse {
  return new GraphErrorResponse(400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
}

/** 400 for a request body that is missing or not JSON. */
export function badPayload(empty: boolean): GraphErrorResponse {
  return empty
    ? new GraphErrorResponse(400, 'BadRequest', 'Empty Payload. JSON content expected.')
    : new GraphErrorResponse(400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
}
