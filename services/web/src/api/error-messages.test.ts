import { expect } from 'chai';
// The server's list of refusal codes: the web app must word each of them (read by this test only, never bundled).
import { REFUSAL_CODES } from '../../../redemption/src/redemptions/redemption';
import { fieldErrorsOf, messageForProblem } from './error-messages';

describe('web error messages', () => {
  it('maps a stable code to plain French', () => {
    expect(messageForProblem({ status: 422, code: 'already_redeemed' })).to.equal(
      'Ce pass a déjà été utilisé.',
    );
    expect(messageForProblem({ status: 401, code: 'invalid_credentials' })).to.equal(
      'Adresse électronique ou mot de passe incorrect.',
    );
  });

  it('shows the French wording the redemption service writes for the counter', () => {
    const problem = {
      status: 422,
      code: 'already_redeemed',
      message: 'Pass déjà utilisé le 22/11/2026 à EPN Privas.',
    };
    expect(messageForProblem(problem)).to.equal('Pass déjà utilisé le 22/11/2026 à EPN Privas.');
  });

  it('never shows a server message for codes it does not trust to be French', () => {
    expect(messageForProblem({ status: 409, code: 'duplicate', message: 'This already exists.' })).to.equal(
      'Cet élément existe déjà.',
    );
  });

  it('falls back on the HTTP status for an unknown code, and never leaks English', () => {
    expect(messageForProblem({ status: 403, code: 'some_new_code' })).to.equal(
      'Votre rôle ne permet pas cette action.',
    );
    expect(messageForProblem({ status: 503, code: 'some_new_code' })).to.match(/^Une erreur inattendue/);
    expect(messageForProblem({ status: 418, code: 'teapot' })).to.equal('La demande a échoué.');
  });

  it('puts field issues next to their field, in French', () => {
    const fields = fieldErrorsOf({
      errors: [
        { path: 'body.bookletCount', code: 'too_small', message: 'Too small' },
        { path: 'wording', code: 'invalid_type', message: 'Required' },
      ],
    });
    expect(fields).to.deep.equal({
      bookletCount: 'Valeur trop petite ou champ vide.',
      wording: 'Champ obligatoire ou valeur du mauvais type.',
    });
  });

  it('shows the server’s French wording for every refusal code, and has its own words for each', () => {
    const fallback = messageForProblem({ status: 422, code: 'no_such_code' });
    for (const code of REFUSAL_CODES) {
      expect(messageForProblem({ status: 422, code, message: 'Mot du serveur.' }), code).to.equal(
        'Mot du serveur.',
      );
      expect(messageForProblem({ status: 422, code }), code).to.not.equal(fallback);
    }
  });
});
