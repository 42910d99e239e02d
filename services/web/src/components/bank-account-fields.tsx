import { useState } from 'preact/hooks';
import { fieldErrorsOf } from '../api/error-messages';
import type { ApiError } from '../api/problem';
import { type BankAccountDraft, bankAccountIssues, normaliseBankAccount } from '../lib/bank-account';
import { TextField } from './field';

type FieldName = keyof BankAccountDraft;

const EMPTY: BankAccountDraft = { iban: '', bic: '', accountHolderName: '' };
const NONE_TOUCHED: Record<FieldName, boolean> = { iban: false, bic: false, accountHolderName: false };
const ALL_TOUCHED: Record<FieldName, boolean> = { iban: true, bic: true, accountHolderName: true };

/**
 * State of a bank account form with live validation: a field's problem shows once the field has been left (or
 * a submit was tried) and then follows every keystroke; a server problem on a field shows until it is edited.
 */
export function useBankAccountForm() {
  const [draft, setDraft] = useState<BankAccountDraft>(EMPTY);
  const [touched, setTouched] = useState(NONE_TOUCHED);
  const [edited, setEdited] = useState(NONE_TOUCHED);
  const live = fieldErrorsOf({ errors: bankAccountIssues(draft) });
  return {
    draft,
    valid: Object.keys(live).length === 0,
    /** The French problem to show next to a field, if any. */
    errorFor(field: FieldName, server: ApiError | undefined): string | undefined {
      if (touched[field] && live[field]) return live[field];
      return server && !edited[field] ? fieldErrorsOf(server.problem)[field] : undefined;
    },
    set(field: FieldName, value: string) {
      setDraft((d) => ({ ...d, [field]: value }));
      setEdited((e) => ({ ...e, [field]: true }));
    },
    leave(field: FieldName) {
      setTouched((t) => ({ ...t, [field]: true }));
    },
    /**
     * Before sending: the account as the API takes it, or undefined (every problem is then shown). A new
     * submission makes the server's answer the one to show.
     */
    submission(): BankAccountDraft | undefined {
      setTouched(ALL_TOUCHED);
      setEdited(NONE_TOUCHED);
      return Object.keys(live).length === 0 ? normaliseBankAccount(draft) : undefined;
    },
    reset() {
      setDraft(EMPTY);
      setTouched(NONE_TOUCHED);
      setEdited(NONE_TOUCHED);
    },
  };
}

export type BankAccountForm = ReturnType<typeof useBankAccountForm>;

/** What a TextField needs to edit one field of the form. */
function bind(form: BankAccountForm, field: FieldName, serverError: ApiError | undefined) {
  return {
    value: form.draft[field],
    onValue: (value: string) => form.set(field, value),
    onBlur: () => form.leave(field),
    error: form.errorFor(field, serverError),
  };
}

/** Account holder, IBAN and BIC, labelled, with live problems in French. `serverError`: the last submit's. */
export function BankAccountFields(props: { form: BankAccountForm; serverError: ApiError | undefined }) {
  const { form, serverError } = props;
  return (
    <>
      <TextField
        label="Titulaire du compte"
        hint="Exactement comme la banque l’écrit (vérification du bénéficiaire)."
        required
        {...bind(form, 'accountHolderName', serverError)}
      />
      <TextField
        label="IBAN"
        hint="27 caractères pour un compte en France ; les espaces sont permis."
        required
        autoComplete="off"
        {...bind(form, 'iban', serverError)}
      />
      <TextField
        label="BIC"
        hint="8 ou 11 caractères, donnés par la banque avec l’IBAN."
        required
        autoComplete="off"
        {...bind(form, 'bic', serverError)}
      />
    </>
  );
}
