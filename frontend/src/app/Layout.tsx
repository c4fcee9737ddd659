import { useEffect, useRef } from "react";
import { Link, NavLink, Outlet, useLocation, useNavigate } from "react-router";
import { t } from "../i18n";
import { accountPaths } from "../features/account/accountFlows";
import { useSignOut } from "../features/account/auth";
import { useSession } from "../features/account/useSession";

/** Skip link, header navigation, and the page in a main landmark. */
export function Layout() {
  const { signedIn } = useSession();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const main = useMainFocusOnNavigation();
  return (
    <>
      <a className="skip-link" href="#main">
        {t("app.skipToContent")}
      </a>
      <header className="site-header">
        <Link to="/" className="brand">
          {t("app.name")}
        </Link>
        <nav aria-label={t("nav.main")}>
          <ul>
            <li>
              <NavLink to="/" end>
                {t("nav.findSalons")}
              </NavLink>
            </li>
            <li>
              <NavLink to="/appointments">{t("nav.myAppointments")}</NavLink>
            </li>
            {signedIn ? (
              <>
                <li>
                  <NavLink to={accountPaths.profile}>{t("nav.profile")}</NavLink>
                </li>
                <li>
                  <NavLink to="/manage">{t("nav.manage")}</NavLink>
                </li>
                <li>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => {
                      signOut.mutate(undefined, { onSettled: () => void navigate("/") });
                    }}
                  >
                    {t("nav.signOut")}
                  </button>
                </li>
              </>
            ) : (
              <li>
                <NavLink to={accountPaths.signIn}>{t("nav.signIn")}</NavLink>
              </li>
            )}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1} ref={main}>
        <Outlet />
      </main>
    </>
  );
}

/** After moving to another page, focus its content so screen readers start there. */
function useMainFocusOnNavigation() {
  const ref = useRef<HTMLElement>(null);
  const { pathname } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false; // the first page load keeps the browser's own focus
      return;
    }
    ref.current?.focus();
  }, [pathname]);
  return ref;
}

export function NotFoundPage() {
  return (
    <>
      <h1>{t("common.notFound")}</h1>
      <Link to="/">{t("common.backHome")}</Link>
    </>
  );
}
