import { expect } from 'chai';
import { computeCheckSymbol } from '../../../../packages/voucher-code/src/check-symbol';
import { codeFeedback, codeInPayload, groupCode, looksLikePayload } from './voucher-input';

const DATA = '7K3MQX9P2D4FHR8T';
const CODE = DATA + computeCheckSymbol(DATA);
const WRONG_CHECK = DATA + (CODE.endsWith('0') ? '1' : '0');

describe('voucher code feedback (web)', () => {
  it('counts the symbols typed so far', () => {
    const feedback = codeFeedback('7k3m-qx9p');
    expect(feedback.state).to.equal('typing');
    expect(feedback.message).to.equal('8 caractères sur 17.');
    expect(feedback.display).to.equal('7K3M-QX9P');
  });

  it('accepts a complete code typed in lower case with spaces and gives its canonical form', () => {
    const feedback = codeFeedback(CODE.toLowerCase().replace(/(.{4})/g, '$1 '));
    expect(feedback.state).to.equal('valid');
    expect(feedback.code).to.equal(CODE);
    expect(feedback.display).to.equal(`${groupCode(CODE)}`);
    expect(feedback.display.split('-')).to.have.length(5);
  });

  it('reports a typo caught by the check symbol', () => {
    const feedback = codeFeedback(WRONG_CHECK);
    expect(feedback.state).to.equal('invalid');
    expect(feedback.message).to.match(/Faute de frappe/);
  });

  it('names a character that no code contains', () => {
    const feedback = codeFeedback('7K3U');
    expect(feedback.state).to.equal('invalid');
    expect(feedback.message).to.contain('« U »');
  });

  it('refuses more symbols than a code has', () => {
    expect(codeFeedback(`${CODE}7`).state).to.equal('invalid');
  });

  it('tells a QR payload from a typed code and reads the code inside it', () => {
    const payload = `PN1.51NFJXP0.${CODE}.${'A'.repeat(103)}`;
    expect(looksLikePayload(payload)).to.equal(true);
    expect(looksLikePayload(CODE)).to.equal(false);
    expect(codeInPayload(payload)).to.equal(CODE);
    expect(codeInPayload('PN1.X.Y')).to.equal(undefined);
  });
});
