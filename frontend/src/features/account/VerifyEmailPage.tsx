import { useEffect, useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { ApiError } from "../../api/errors";
import { ErrorNotice, Loading, StatusNotice } from "../../components/Notice";
import { usePageTitle } from "../../components/usePageTitle";
import { t } from "../../i18n";
import { takeReturnPath } from "../booking/bookingDraft";
import { accountPaths, signInPath } from "./accountFlows";
import { useVerifyEmail } from "./auth";
import { useSession } from "./useSession";

/** The e-mailed link's page: confirms the address, which signs in, and goes back to where
 * the person was (a chosen time included), or to the profile after changing the address. */
export function VerifyEmailPage() {
  const { key = "" } = useParams();
  const navigate = useNavigate();
  const session = useSession();
  const verify = useVerifyEmail();
  const started = useRef(false);
  const [back, setBack] = useState<string | null>(null);
  const failed = verify.error instanceof ApiError && verify.error.status === 400;
  usePageTitle(failed ? t("account.verifyFailedHeading") : t("account.verifyHeading"));

  useEffect(() => {
    if (started.current || session.pending) return;
    started.current = true; // a key works once: never post it twice
    const wasSignedIn = session.signedIn;
    verify.mutate(key, {
      onSuccess: (outcome) => {
        const saved = takeReturnPath();
        if (outcome.status !== "signedIn") {
          setBack(saved); // confirmed, but in another browser: sign in, then go back
          return;
        }
        void navigate(saved ?? (wasSignedIn ? accountPaths.profile : "/"), { replace: true });
      },
    });
  }, [key, navigate, session.pending, session.signedIn, verify]);

  if (failed) {
    return (
      <div className="narrow">
        <h1>{t("account.verifyFailedHeading")}</h1>
        <p>{t("account.verifyFailed")}</p>
        <Link to={accountPaths.signIn}>{t("nav.signIn")}</Link>
      </div>
    );
  }
  return (
    <div className="narrow">
      <h1>{t("account.verifyHeading")}</h1>
      {verify.data?.status === "signedOut" || verify.data?.status === "verifyEmail" ? (
        <>
          <StatusNotice>{t("account.verifiedSignIn")}</StatusNotice>
          <Link to={signInPath(back ?? "/")}>{t("nav.signIn")}</Link>
        </>
      ) : (
        !verify.error && <Loading />
      )}
      <ErrorNotice error={verify.error} />
    </div>
  );
}
