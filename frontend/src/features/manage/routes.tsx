import { Link, NavLink, Outlet, Route, Routes, useParams } from "react-router";
import { ErrorNotice, Loading } from "../../components/Notice";
import { usePageTitle } from "../../components/usePageTitle";
import { t } from "../../i18n";
import { RequireSignIn } from "../account/RequireSignIn";
import { useManagedSalons } from "./queries";
import { SchedulePage } from "./SchedulePage";
import { SettingsPage } from "./SettingsPage";

/** /manage: the salons the person owns or works at, each with its schedule and settings. */
export function ManageRoutes() {
  return (
    <RequireSignIn>
      <Routes>
        <Route index element={<SalonChooser />} />
        <Route path=":salonId" element={<SalonSection />}>
          <Route index element={<SchedulePage />} />
          <Route path="settings" element={<SettingsPage />} />
        </Route>
      </Routes>
    </RequireSignIn>
  );
}

function SalonChooser() {
  usePageTitle(t("manage.heading"));
  const salons = useManagedSalons();
  return (
    <>
      <h1>{t("manage.heading")}</h1>
      {salons.isPending && <Loading />}
      <ErrorNotice error={salons.error} />
      {salons.data?.length === 0 && <p>{t("manage.noSalons")}</p>}
      <ul className="cards">
        {salons.data?.map((salon) => (
          <li key={salon.id} className="card">
            <Link to={`/manage/${salon.id}`}>{salon.name}</Link>
          </li>
        ))}
      </ul>
    </>
  );
}

function SalonSection() {
  const { salonId = "" } = useParams();
  const salons = useManagedSalons();
  const salon = salons.data?.find((s) => s.id === salonId);
  return (
    <>
      <p className="breadcrumb">
        <Link to="/manage">{t("manage.heading")}</Link>
        {salon && <> / {salon.name}</>}
      </p>
      <nav aria-label={salon?.name ?? t("nav.manage")} className="tabs">
        <NavLink to={`/manage/${salonId}`} end>
          {t("manage.schedule")}
        </NavLink>
        <NavLink to={`/manage/${salonId}/settings`}>{t("manage.settings")}</NavLink>
      </nav>
      <Outlet />
    </>
  );
}
