import { useState, type SubmitEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { fieldErrors } from "../../api/errors";
import { Field } from "../../components/Field";
import { ErrorNotice } from "../../components/Notice";
import { usePageTitle } from "../../components/usePageTitle";
import { t } from "../../i18n";
import { rememberReturnPath } from "../booking/bookingDraft";
import { signInPath } from "./accountFlows";
import { safeNext, useSignUp } from "./auth";
import { CheckEmail } from "./CheckEmail";

const empty = { email: "", password: "", first_name: "", last_name: "" };

/** Create an account; the e-mailed link confirms it, signs in and leads back to `next`. */
export function RegisterPage() {
  usePageTitle(t("account.registerHeading"));
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const navigate = useNavigate();
  const signUp = useSignUp();
  const [form, setForm] = useState(empty);
  const errors = fieldErrors(signUp.error);

  function submit(event: SubmitEvent) {
    event.preventDefault();
    signUp.mutate(form, {
      onSuccess: (outcome) => {
        if (outcome.status === "signedIn") void navigate(next, { replace: true });
        // The link may be opened in another tab, later: remember the way back (the draft).
        if (outcome.status === "verifyEmail") rememberReturnPath(next);
      },
    });
  }

  if (signUp.data?.status === "verifyEmail") {
    return (
      <CheckEmail
        credentials={{ email: form.email, password: form.password }}
        keepsDraft={next !== "/"}
        onSignedIn={() => void navigate(next, { replace: true })}
      />
    );
  }
  const bind = (name: keyof typeof empty) => ({
    value: form[name],
    error: errors[name],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => {
      setForm({ ...form, [name]: e.target.value });
    },
  });
  return (
    <div className="narrow">
      <h1>{t("account.registerHeading")}</h1>
      <form onSubmit={submit} noValidate>
        <Field label={t("account.firstName")} autoComplete="given-name" {...bind("first_name")} />
        <Field label={t("account.lastName")} autoComplete="family-name" {...bind("last_name")} />
        <Field
          label={t("account.email")}
          type="email"
          autoComplete="email"
          required
          {...bind("email")}
        />
        <Field
          label={t("account.password")}
          type="password"
          autoComplete="new-password"
          required
          hint={t("account.passwordHint")}
          {...bind("password")}
        />
        <ErrorNotice error={signUp.error} />
        <button type="submit" className="primary" disabled={signUp.isPending}>
          {t("account.createAccount")}
        </button>
      </form>
      <p>
        {t("account.haveAccount")} <Link to={signInPath(next)}>{t("nav.signIn")}</Link>
      </p>
    </div>
  );
}
