import { useState, type SubmitEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { ApiError, fieldErrors } from "../../api/errors";
import { Field } from "../../components/Field";
import { ErrorNotice, Loading, StatusNotice } from "../../components/Notice";
import { usePageTitle } from "../../components/usePageTitle";
import { t } from "../../i18n";
import { accountPaths } from "./accountFlows";
import { useResetKeyCheck, useResetPassword } from "./auth";

function isDeadKey(error: unknown): boolean {
  return error instanceof ApiError && error.status === 400 && error.code !== "invalid";
}

/** The e-mailed reset link's page: checks the key first, so an expired or used link is
 * explained before anyone types a new password. */
export function ResetPasswordPage() {
  const { key = "" } = useParams();
  const check = useResetKeyCheck(key);
  const reset = useResetPassword(key);
  const navigate = useNavigate();
  const [password, setPassword] = useState("");
  // Once the reset went through, the key is used up: a re-check (the sign-in that follows
  // clears cached queries) must not turn the success into "this link does not work".
  const dead = !reset.isSuccess && (isDeadKey(check.error) || isDeadKey(reset.error));
  usePageTitle(dead ? t("account.resetInvalidHeading") : t("account.resetHeading"));

  function submit(event: SubmitEvent) {
    event.preventDefault();
    reset.mutate(password, {
      onSuccess: (outcome) => {
        if (outcome.status === "signedIn") void navigate("/", { replace: true });
      },
    });
  }

  if (dead) {
    return (
      <div className="narrow">
        <h1>{t("account.resetInvalidHeading")}</h1>
        <p>{t("account.resetInvalid")}</p>
        <Link to={accountPaths.forgotPassword}>{t("account.requestNewLink")}</Link>
      </div>
    );
  }
  return (
    <div className="narrow">
      <h1>{t("account.resetHeading")}</h1>
      {check.isPending && <Loading />}
      <ErrorNotice error={check.error} />
      {reset.isSuccess ? (
        <>
          <StatusNotice>{t("account.resetDone")}</StatusNotice>
          <Link to={accountPaths.signIn}>{t("nav.signIn")}</Link>
        </>
      ) : (
        check.isSuccess && (
          <form onSubmit={submit} noValidate>
            <Field
              label={t("account.newPassword")}
              type="password"
              autoComplete="new-password"
              required
              hint={t("account.passwordHint")}
              value={password}
              error={fieldErrors(reset.error).password}
              onChange={(e) => {
                setPassword(e.target.value);
              }}
            />
            <ErrorNotice error={reset.error} />
            <button type="submit" className="primary" disabled={reset.isPending}>
              {t("account.setNewPassword")}
            </button>
          </form>
        )
      )}
    </div>
  );
}
