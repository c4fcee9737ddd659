import { useState, type SubmitEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { ApiError } from "../../api/errors";
import { Field } from "../../components/Field";
import { ErrorNotice } from "../../components/Notice";
import { usePageTitle } from "../../components/usePageTitle";
import { t } from "../../i18n";
import { accountPaths } from "./accountFlows";
import { safeNext, useSignIn } from "./auth";

/** Email + password; returns to where the person came from (their chosen slot included). */
export function SignInPage() {
  usePageTitle(t("account.signInHeading"));
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const navigate = useNavigate();
  const signIn = useSignIn();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");

  function submit(event: SubmitEvent) {
    event.preventDefault();
    signIn.mutate({ email, password }, { onSuccess: () => void navigate(next, { replace: true }) });
  }

  // A wrong password is a 401 from the token endpoint; say it plainly.
  const error =
    signIn.error instanceof ApiError && signIn.error.status === 401
      ? new ApiError(401, "no_active_account", "")
      : signIn.error;
  return (
    <div className="narrow">
      <h1>{t("account.signInHeading")}</h1>
      {params.has("next") && <p>{t("account.signInRequired")}</p>}
      <form onSubmit={submit} noValidate>
        <Field
          label={t("account.email")}
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => {
            setEmail(e.target.value);
          }}
        />
        <Field
          label={t("account.password")}
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => {
            setPassword(e.target.value);
          }}
        />
        <ErrorNotice error={error} />
        <button type="submit" className="primary" disabled={signIn.isPending}>
          {t("account.signIn")}
        </button>
      </form>
      <p>
        {t("account.noAccount")}{" "}
        <Link to={`${accountPaths.register}?next=${encodeURIComponent(next)}`}>
          {t("nav.register")}
        </Link>
      </p>
    </div>
  );
}
