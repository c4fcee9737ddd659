import { useId, useState } from "react";
import { useParams } from "react-router";
import type { SalonAppointment } from "../../api/types";
import { ErrorNotice, Loading } from "../../components/Notice";
import { usePageTitle } from "../../components/usePageTitle";
import { t } from "../../i18n";
import { formatDateTime, isPast, todayIn } from "../../lib/time";
import { StatusText } from "../appointments/StatusText";
import { useManagedSalon, useSalonAppointments, useSetAppointmentStatus } from "./queries";
import { byStaff, rangeBounds, type ScheduleRange } from "./schedule";

/** Today's or this week's appointments per staff member, with the day's actions. */
export function SchedulePage() {
  usePageTitle(t("manage.schedule"));
  const { salonId = "" } = useParams();
  const salon = useManagedSalon(salonId);
  if (salon.isPending) return <Loading />;
  if (salon.isError) return <ErrorNotice error={salon.error} />;
  return <Schedule salonId={salonId} zone={salon.data.timezone} name={salon.data.name} />;
}

function Schedule({ salonId, zone, name }: { salonId: string; zone: string; name: string }) {
  const [range, setRange] = useState<ScheduleRange>("today");
  const appointments = useSalonAppointments(salonId, rangeBounds(range, todayIn(zone), zone));
  const setStatus = useSetAppointmentStatus(salonId);
  return (
    <>
      <h1>
        {t("manage.schedule")}: {name}
      </h1>
      <div role="group" aria-label={t("manage.schedule")} className="tabs">
        {(["today", "week"] as const).map((r) => (
          <button
            key={r}
            type="button"
            aria-pressed={range === r}
            onClick={() => {
              setRange(r);
            }}
          >
            {r === "today" ? t("manage.today") : t("manage.week")}
          </button>
        ))}
      </div>
      <ErrorNotice error={setStatus.error} />
      {appointments.isPending && <Loading />}
      <ErrorNotice error={appointments.error} />
      {appointments.data?.length === 0 && <p>{t("manage.noAppointments")}</p>}
      {appointments.data &&
        byStaff(appointments.data).map(([staff, list]) => (
          <section key={staff} aria-label={staff}>
            <h2>{staff}</h2>
            <ul className="cards">
              {list.map((a) => (
                <ScheduleItem
                  key={a.id}
                  appointment={a}
                  zone={zone}
                  busy={setStatus.isPending}
                  onStatus={(status) => {
                    setStatus.mutate({ appointmentId: a.id, status });
                  }}
                />
              ))}
            </ul>
          </section>
        ))}
    </>
  );
}

interface ScheduleItemProps {
  appointment: SalonAppointment;
  zone: string;
  busy: boolean;
  onStatus: (status: "completed" | "no_show" | "cancelled_by_salon") => void;
}

function ScheduleItem({ appointment: a, zone, busy, onStatus }: ScheduleItemProps) {
  const labelId = useId();
  const confirmed = a.status === "confirmed";
  // Completed / no-show only make sense once it started; cancelling only before.
  const started = isPast(a.start);
  return (
    <li className="card">
      <p id={labelId}>
        <strong>{formatDateTime(a.start, zone)}</strong> · {a.service_name} · {a.customer_name} ·{" "}
        <StatusText status={a.status} viewer="salon" />
      </p>
      {confirmed && (
        <div className="actions">
          {started ? (
            <>
              <button
                type="button"
                disabled={busy}
                aria-describedby={labelId}
                onClick={() => {
                  onStatus("completed");
                }}
              >
                {t("manage.markCompleted")}
              </button>
              <button
                type="button"
                disabled={busy}
                aria-describedby={labelId}
                onClick={() => {
                  onStatus("no_show");
                }}
              >
                {t("manage.markNoShow")}
              </button>
            </>
          ) : (
            <button
              type="button"
              className="danger"
              disabled={busy}
              aria-describedby={labelId}
              onClick={() => {
                onStatus("cancelled_by_salon");
              }}
            >
              {t("manage.cancelBySalon")}
            </button>
          )}
        </div>
      )}
    </li>
  );
}
