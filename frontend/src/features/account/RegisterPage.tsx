import { useState, type SubmitEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { fieldErrors } from "../../api/errors";
import { Field } from "../../components/Field";
import { ErrorNotice } from "../../components/Notice";
import { usePageTitle } from "../../components/usePageTitle";
import { t } from "../../i18n";
import { signInPath } from "./accountFlows";
import { safeNext, useRegister } from "./auth";

const empty = { email: "", password: "", first_name: "", last_name: "", phone: "" };

/** Create an account and sign in at once, then continue where the person was. */
export function RegisterPage() {
  usePageTitle(t("account.registerHeading"));
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const navigate = useNavigate();
  const register = useRegister();
  const [form, setForm] = useState(empty);
  const errors = fieldErrors(register.error);

  function submit(event: SubmitEvent) {
    event.preventDefault();
    register.mutate(form, { onSuccess: () => void navigate(next, { replace: true }) });
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
        <Field
          label={t("account.firstName")}
          autoComplete="given-name"
          required
          {...bind("first_name")}
        />
        <Field
          label={t("account.lastName")}
          autoComplete="family-name"
          required
          {...bind("last_name")}
        />
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
        <Field label={t("account.phone")} type="tel" autoComplete="tel" {...bind("phone")} />
        <ErrorNotice error={register.error} />
        <button type="submit" className="primary" disabled={register.isPending}>
          {t("account.createAccount")}
        </button>
      </form>
      <p>
        {t("account.haveAccount")} <Link to={signInPath(next)}>{t("nav.signIn")}</Link>
      </p>
    </div>
  );
}
