import { useState, type SubmitEvent } from "react";
import { Link } from "react-router";
import { fieldErrors } from "../../api/errors";
import { Field } from "../../components/Field";
import { ErrorNotice, StatusNotice } from "../../components/Notice";
import { usePageTitle } from "../../components/usePageTitle";
import { t } from "../../i18n";
import { accountPaths } from "./accountFlows";
import { useRequestPasswordReset } from "./auth";

/** Asks for a reset link; the answer is the same whether or not the address has an account. */
export function ForgotPasswordPage() {
  usePageTitle(t("account.forgotHeading"));
  const request = useRequestPasswordReset();
  const [email, setEmail] = useState("");
  const [sentTo, setSentTo] = useState<string | null>(null);

  function submit(event: SubmitEvent) {
    event.preventDefault();
    request.mutate(email, {
      onSuccess: () => {
        setSentTo(email);
      },
    });
  }
  return (
    <div className="narrow">
      <h1>{t("account.forgotHeading")}</h1>
      <p>{t("account.forgotIntro")}</p>
      <form onSubmit={submit} noValidate>
        <Field
          label={t("account.email")}
          type="email"
          autoComplete="email"
          required
          value={email}
          error={fieldErrors(request.error).email}
          onChange={(e) => {
            setEmail(e.target.value);
          }}
        />
        <ErrorNotice error={request.error} />
        {sentTo !== null && (
          <StatusNotice>{t("account.resetLinkSent", { email: sentTo })}</StatusNotice>
        )}
        <button type="submit" className="primary" disabled={request.isPending}>
          {t("account.sendResetLink")}
        </button>
      </form>
      <p>
        <Link to={accountPaths.signIn}>{t("nav.signIn")}</Link>
      </p>
    </div>
  );
}
