import { useState } from "react";
import { Link, useLocation, useParams } from "react-router";
import { isSlotTaken } from "../../api/errorMessage";
import { useAppointment, useCancel, useReschedule, useSalon } from "../../api/queries";
import type { Appointment, SalonDetail } from "../../api/types";
import { ErrorNotice, Loading, StatusNotice } from "../../components/Notice";
import { usePageTitle } from "../../components/usePageTitle";
import { t } from "../../i18n";
import { formatPrice } from "../../lib/money";
import { formatDateTime, formatTime, type IsoDate } from "../../lib/time";
import { useTakenSlots } from "../booking/useTakenSlots";
import { SlotPicker } from "../booking/SlotPicker";
import { changeWindow } from "./appointmentRules";
import { CutoffNotice } from "./CutoffNotice";
import { StatusText } from "./StatusText";

type Mode = "view" | "reschedule" | "cancel";

/** One appointment: its details, and (while allowed) reschedule or cancel. */
export function AppointmentPage() {
  const { appointmentId = "" } = useParams();
  const appointment = useAppointment(appointmentId);
  usePageTitle(appointment.data?.service_name);
  if (appointment.isPending) return <Loading />;
  if (appointment.isError) return <ErrorNotice error={appointment.error} />;
  return <AppointmentWithSalon appointment={appointment.data} />;
}

/** The salon gives the time zone and phone number the appointment is shown with. */
function AppointmentWithSalon({ appointment }: { appointment: Appointment }) {
  const salon = useSalon(appointment.salon);
  if (salon.isPending) return <Loading />;
  if (salon.isError) return <ErrorNotice error={salon.error} />;
  return <AppointmentView appointment={appointment} salon={salon.data} />;
}

function AppointmentView({ appointment, salon }: { appointment: Appointment; salon: SalonDetail }) {
  const location = useLocation();
  const justBooked = (location.state as { booked?: boolean } | null)?.booked === true;
  const [mode, setMode] = useState<Mode>("view");
  const [message, setMessage] = useState<string | null>(
    justBooked
      ? t("booking.booked", {
          service: appointment.service_name,
          when: formatDateTime(appointment.start, salon.timezone),
        })
      : null,
  );
  const online = changeWindow(appointment);
  const changeable = online.kind === "open";
  const done = (text: string) => {
    setMode("view");
    setMessage(text);
  };
  return (
    <>
      <h1>
        {t("appointment.heading", {
          service: appointment.service_name,
          salon: appointment.salon_name,
        })}
      </h1>
      {message && <StatusNotice>{message}</StatusNotice>}
      <dl className="facts">
        <dt>{t("appointment.when")}</dt>
        <dd>
          {formatDateTime(appointment.start, salon.timezone)}–
          {formatTime(appointment.end, salon.timezone)}
        </dd>
        <dt>{t("appointment.staff")}</dt>
        <dd>{appointment.staff_name}</dd>
        <dt>{t("appointment.price")}</dt>
        <dd>{formatPrice(appointment.price, appointment.currency)}</dd>
        <dt>{t("appointment.status")}</dt>
        <dd>
          <StatusText status={appointment.status} />
        </dd>
      </dl>
      <CutoffNotice window={online} salon={salon} />
      {changeable && mode === "view" && (
        <div className="actions">
          <button
            type="button"
            onClick={() => {
              setMessage(null);
              setMode("reschedule");
            }}
          >
            {t("appointment.reschedule")}
          </button>
          <button
            type="button"
            className="danger"
            onClick={() => {
              setMessage(null);
              setMode("cancel");
            }}
          >
            {t("appointment.cancel")}
          </button>
        </div>
      )}
      {changeable && mode === "reschedule" && (
        <RescheduleForm
          appointment={appointment}
          salon={salon}
          onDone={(a) => {
            done(t("appointment.rescheduled", { when: formatDateTime(a.start, salon.timezone) }));
          }}
        />
      )}
      {changeable && mode === "cancel" && (
        <CancelConfirm
          appointment={appointment}
          salon={salon}
          onKeep={() => {
            setMode("view");
          }}
          onDone={() => {
            done(t("appointment.cancelled"));
          }}
        />
      )}
      <p>
        <Link to="/appointments">{t("appointment.back")}</Link>
      </p>
    </>
  );
}

interface ChangeProps {
  appointment: Appointment;
  salon: SalonDetail;
}

function RescheduleForm({
  appointment,
  salon,
  onDone,
}: ChangeProps & { onDone: (a: Appointment) => void }) {
  const reschedule = useReschedule();
  const [day, setDay] = useState<IsoDate | null>(null);
  const [slotStart, setSlotStart] = useState<string | null>(null);
  const [takenTime, setTakenTime] = useState<string | null>(null);
  const taken = useTakenSlots(salon.id);
  function confirm() {
    if (slotStart === null) return;
    reschedule.mutate(
      { appointmentId: appointment.id, value: { start: slotStart, staffId: appointment.staff } },
      {
        onSuccess: onDone,
        onError: (error) => {
          if (!isSlotTaken(error)) return;
          setTakenTime(formatTime(slotStart, salon.timezone));
          taken.add(slotStart);
          setSlotStart(null);
        },
      },
    );
  }
  return (
    <section aria-labelledby="reschedule-heading">
      <h2 id="reschedule-heading">{t("appointment.chooseNewTime")}</h2>
      {takenTime && (
        <p role="alert" className="notice notice-error">
          {t("booking.slotTakenFresh", { time: takenTime })}
        </p>
      )}
      <SlotPicker
        salonId={salon.id}
        serviceId={appointment.service}
        staffId={appointment.staff}
        timezone={salon.timezone}
        taken={taken.starts}
        day={day}
        selected={slotStart}
        onDay={(d) => {
          setDay(d);
          setSlotStart(null);
        }}
        onSelect={(slot) => {
          setTakenTime(null);
          setSlotStart(slot.start);
        }}
      />
      {reschedule.error && !isSlotTaken(reschedule.error) && (
        <ErrorNotice error={reschedule.error} />
      )}
      <button
        type="button"
        className="primary"
        disabled={slotStart === null || reschedule.isPending}
        onClick={confirm}
      >
        {t("appointment.confirmReschedule")}
      </button>
    </section>
  );
}

function CancelConfirm({
  appointment,
  salon,
  onKeep,
  onDone,
}: ChangeProps & { onKeep: () => void; onDone: () => void }) {
  const cancel = useCancel();
  return (
    <section aria-labelledby="cancel-heading" className="confirm">
      <h2 id="cancel-heading">
        {t("appointment.cancelQuestion", {
          service: appointment.service_name,
          when: formatDateTime(appointment.start, salon.timezone),
        })}
      </h2>
      <ErrorNotice error={cancel.error} />
      <div className="actions">
        <button
          type="button"
          className="danger"
          disabled={cancel.isPending}
          onClick={() => {
            cancel.mutate({ appointmentId: appointment.id, value: null }, { onSuccess: onDone });
          }}
        >
          {t("appointment.confirmCancel")}
        </button>
        <button type="button" onClick={onKeep}>
          {t("appointment.keep")}
        </button>
      </div>
    </section>
  );
}
