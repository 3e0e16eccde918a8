import { describe, expect, it } from 'vitest';
import { GraphErrorResponse } from '../../src/sandbox/errors.js';
import { parseExpand } from '../../src/sandbox/odata/expand.js';
import { inDeclarationOrder, parseSelect, shape } from '../../src/sandbox/odata/select.js';
import { attachmentType, messageType, userType } from '../../src/sandbox/schema.js';

describe('$select', () => {
  it('canonicalises names, drops duplicates and navigation properties', () => {
    expect(parseSelect('Subject, from,subject,attachments', messageType)).toEqual(['subject', 'from']);
    expect(parseSelect(undefined, messageType)).toBeUndefined();
    expect(parseSelect('*', messageType)).toBeUndefined();
    expect(parseSelect('microsoft.graph.fileAttachment/contentBytes,name', attachmentType)).toEqual(['contentBytes', 'name']);
  });

  it('refuses unknown properties with the entity type in the message', () => {
    try {
      parseSelect('displayName,shoeSize', userType);
      expect.unreachable();
    } catch (e) {
      expect((e as GraphErrorResponse).code).toBe('RequestBroker--ParseUri');
      expect((e as GraphErrorResponse).message).toBe("Could not find a property named 'shoeSize' on type 'microsoft.graph.user'.");
    }
  });

  it('shapes always-present names first, then the selection in declaration order, omitting undefined', () => {
    const getters = { '@odata.etag': () => 'W/"1"', id: () => 'x', subject: () => 's', from: () => 'f', missing: () => undefined };
    expect(Object.keys(shape({}, undefined, getters, ['@odata.etag', 'id'], inDeclarationOrder(getters, ['from', 'subject', 'missing'])))).toEqual(['@odata.etag', 'id', 'subject', 'from']);
  });
});

describe('$expand', () => {
  it('parses nested $filter and $select', () => {
    const [ext, att] = parseExpand("singleValueExtendedProperties($filter=id eq 'String {x} Name a'),attachments($select=name,size)", messageType);
    expect(ext?.name).toBe('singleValueExtendedProperties');
    expect(ext?.filter?.test({ id: 'string {X} name A', value: 'v' })).toBe(true);
    expect(att).toEqual({ name: 'attachments', select: ['name', 'size'] });
  });

  it('refuses structural properties and unknown names', () => {
    expect(() => parseExpand('subject', messageType)).toThrow('is not a navigation property');
    expect(() => parseExpand('nope', messageType)).toThrow(GraphErrorResponse);
    expect(() => parseExpand('attachments($orderby=name)', messageType)).toThrow(GraphErrorResponse);
  });
});
