import { useMutation } from "@tanstack/react-query";
import { signIn, type Credentials } from "../../api/account";
import { ErrorNotice, StatusNotice } from "../../components/Notice";
import { usePageTitle } from "../../components/usePageTitle";
import { t } from "../../i18n";

interface CheckEmailProps {
  credentials: Credentials;
  /** Signing in (not signing up) found the address unconfirmed. */
  unverified?: boolean;
  /** The person left a chosen time behind: the link brings them back to it. */
  keepsDraft: boolean;
  onSignedIn: () => void;
}

/** "Check your email", with a way to have the link sent again. allauth sends a new link
 * when an unconfirmed address signs in, so "again" signs in with what was just typed (kept
 * in memory only). */
export function CheckEmail({ credentials, unverified, keepsDraft, onSignedIn }: CheckEmailProps) {
  usePageTitle(t("account.checkEmailHeading"));
  const resend = useMutation({ mutationFn: () => signIn(credentials) });
  const email = credentials.email;
  return (
    <div className="narrow">
      <h1>{t("account.checkEmailHeading")}</h1>
      <p>
        {unverified
          ? t("account.checkEmailUnverified", { email })
          : t("account.checkEmailSent", { email })}
      </p>
      {keepsDraft && <p>{t("account.checkEmailKeepsDraft")}</p>}
      {resend.isSuccess && <StatusNotice>{t("account.resent")}</StatusNotice>}
      <ErrorNotice error={resend.error} />
      <button
        type="button"
        disabled={resend.isPending}
        onClick={() => {
          resend.mutate(undefined, {
            onSuccess: (outcome) => {
              if (outcome.status === "signedIn") onSignedIn(); // confirmed meanwhile
            },
          });
        }}
      >
        {t("account.resend")}
      </button>
    </div>
  );
}
