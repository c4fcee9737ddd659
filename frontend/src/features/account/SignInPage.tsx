import { useState, type SubmitEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { Field } from "../../components/Field";
import { ErrorNotice } from "../../components/Notice";
import { usePageTitle } from "../../components/usePageTitle";
import { t } from "../../i18n";
import { rememberReturnPath } from "../booking/bookingDraft";
import { accountPaths, registerPath } from "./accountFlows";
import { safeNext, useSignIn } from "./auth";
import { CheckEmail } from "./CheckEmail";

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
    signIn.mutate(
      { email, password },
      {
        onSuccess: (outcome) => {
          if (outcome.status === "signedIn") void navigate(next, { replace: true });
          // Not confirmed yet: allauth mailed a new link, which leads back here.
          if (outcome.status === "verifyEmail") rememberReturnPath(next);
        },
      },
    );
  }

  if (signIn.data?.status === "verifyEmail") {
    return (
      <CheckEmail
        credentials={{ email, password }}
        unverified
        keepsDraft={next !== "/"}
        onSignedIn={() => void navigate(next, { replace: true })}
      />
    );
  }
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
        <ErrorNotice error={signIn.error} />
        <button type="submit" className="primary" disabled={signIn.isPending}>
          {t("account.signIn")}
        </button>
      </form>
      <p>
        <Link to={accountPaths.forgotPassword}>{t("account.forgotPassword")}</Link>
      </p>
      <p>
        {t("account.noAccount")} <Link to={registerPath(next)}>{t("nav.register")}</Link>
      </p>
    </div>
  );
}
