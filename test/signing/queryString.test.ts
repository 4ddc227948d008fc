import { expect } from 'chai';
import {
  canonicalQueryFromRaw,
  canonicalQueryString,
  MalformedQueryError,
  parseQuery,
} from '../../src/signing/index.js';

describe('signing: query strings', function () {
  it('reads a raw plus as a literal plus, as API Gateway does', function () {
    expect(parseQuery('q=a+b')).to.deep.equal({ q: 'a+b' });
    expect(canonicalQueryString(parseQuery('q=a+b'))).to.equal('q=a%2Bb');
  });

  it('encodes spaces as %20 and reserved characters per RFC 3986', function () {
    expect(canonicalQueryString(parseQuery("q=a%20b&r=!'()*&s=%2F%3F"))).to.equal(
      'q=a%20b&r=%21%27%28%29%2A&s=%2F%3F',
    );
  });

  it('sorts keys, and the values of a repeated key', function () {
    expect(canonicalQueryString(parseQuery('b=2&a=z&a=y&c'))).to.equal('a=y&a=z&b=2&c=');
  });

  it('writes a bare key as k= and keeps empty values', function () {
    expect(canonicalQueryString(parseQuery('flag&empty='))).to.equal('empty=&flag=');
  });

  it('keeps unicode keys and values, UTF-8 encoded', function () {
    expect(canonicalQueryString(parseQuery('%E1%88%B4=%C3%A9'))).to.equal('%E1%88%B4=%C3%A9');
  });

  it('refuses malformed percent-encoding', function () {
    expect(() => parseQuery('q=%ZZ')).to.throw(MalformedQueryError);
  });

  it('canonicalises a raw query to bytes: not-UTF-8 bytes kept, hex upper-cased, unreserved bytes unescaped', function () {
    expect(canonicalQueryFromRaw('q=%ff&name=M%fcller&a=%41%2d+&k')).to.equal(
      'a=A-%2B&k=&name=M%FCller&q=%FF',
    );
  });

  it('refuses malformed percent-encoding in a raw query too', function () {
    for (const raw of ['q=%ZZ', 'q=%F', 'q=%']) {
      expect(() => canonicalQueryFromRaw(raw), raw).to.throw(MalformedQueryError);
    }
  });
});
