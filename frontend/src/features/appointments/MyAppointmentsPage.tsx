import { Link } from "react-router";
import { useMyAppointments } from "../../api/queries";
import type { Appointment } from "../../api/types";
import { ErrorNotice, Loading } from "../../components/Notice";
import { usePageTitle } from "../../components/usePageTitle";
import { t } from "../../i18n";
import { browserZone, formatDateTime } from "../../lib/time";
import { changeWindow, splitAppointments } from "./appointmentRules";
import { StatusText } from "./StatusText";

/** Upcoming appointments first (soonest first), then the past and cancelled ones. */
export function MyAppointmentsPage() {
  usePageTitle(t("appointments.heading"));
  const appointments = useMyAppointments();
  return (
    <>
      <h1>{t("appointments.heading")}</h1>
      {appointments.isPending && <Loading />}
      <ErrorNotice error={appointments.error} />
      {appointments.isSuccess && <AppointmentSections appointments={appointments.data} />}
    </>
  );
}

function AppointmentSections({ appointments }: { appointments: Appointment[] }) {
  const { upcoming, past } = splitAppointments(appointments);
  return (
    <>
      <section aria-labelledby="upcoming-heading">
        <h2 id="upcoming-heading">{t("appointments.upcoming")}</h2>
        {upcoming.length === 0 ? (
          <p>
            {t("appointments.noUpcoming")} <Link to="/">{t("nav.findSalons")}</Link>
          </p>
        ) : (
          <AppointmentList appointments={upcoming} />
        )}
      </section>
      <section aria-labelledby="past-heading">
        <h2 id="past-heading">{t("appointments.past")}</h2>
        {past.length === 0 ? (
          <p>{t("appointments.noPast")}</p>
        ) : (
          <AppointmentList appointments={past} />
        )}
      </section>
    </>
  );
}

function AppointmentList({ appointments }: { appointments: Appointment[] }) {
  // The list has no salon time zone; the viewer's own zone is the honest choice here.
  const zone = browserZone();
  return (
    <ul className="cards">
      {appointments.map((a) => (
        <li key={a.id} className="card">
          <Link to={`/appointments/${a.id}`}>
            {a.service_name} · {a.salon_name}
          </Link>
          <p>
            {formatDateTime(a.start, zone)} · {a.staff_name} · <StatusText status={a.status} />
          </p>
          <ChangeHint appointment={a} zone={zone} />
        </li>
      ))}
    </ul>
  );
}

/** The cutoff at a glance, so nobody opens an appointment to find the buttons gone. */
function ChangeHint({ appointment, zone }: { appointment: Appointment; zone: string }) {
  const online = changeWindow(appointment);
  if (online.kind === "none") return null;
  return (
    <p className="hint">
      {online.kind === "open"
        ? t("change.openUntilShort", { when: formatDateTime(online.until, zone) })
        : t("change.closedShort")}
    </p>
  );
}
