import { expect } from 'chai';
// The registry's list is the source; issuance keeps a copy because services do not import each other at run
// time. This test (the only cross-service import) keeps the copy from drifting.
import { SERVICE_SLUGS } from '../../../registry/src/venues-open-data/service-categories';
import { SERVICE_CATEGORY_SLUGS } from './service-categories';

describe('service categories (issuance copy)', () => {
  it('are exactly the registry’s national-standard slugs, in the same order', () => {
    expect([...SERVICE_CATEGORY_SLUGS]).to.deep.equal([...SERVICE_SLUGS]);
  });
});
