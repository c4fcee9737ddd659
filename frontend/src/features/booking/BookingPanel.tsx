import { useId, useState } from "react";
import { useLocation, useNavigate } from "react-router";
import { isSlotTaken } from "../../api/errorMessage";
import { useBook } from "../../api/queries";
import type { SalonDetail, Service } from "../../api/types";
import { ErrorNotice } from "../../components/Notice";
import { t } from "../../i18n";
import { formatPrice } from "../../lib/money";
import { formatDateTime, formatTime } from "../../lib/time";
import { signInPath } from "../account/accountFlows";
import { useSession } from "../account/useSession";
import { isBookable } from "./bookingDraft";
import { useTakenSlots } from "./useTakenSlots";
import { SlotPicker } from "./SlotPicker";
import { useBookingDraft } from "./useBookingDraft";

/** Service → staff (optional) → day → time → Book; the choice survives signing in. */
export function BookingPanel({ salon }: { salon: SalonDetail }) {
  const [draft, dispatch] = useBookingDraft();
  const [takenTime, setTakenTime] = useState<string | null>(null);
  const taken = useTakenSlots(salon.id);
  const book = useBook();
  const { signedIn } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const service = salon.services.find((s) => s.id === draft.serviceId) ?? null;
  const staffForService = salon.staff.filter((m) => service && m.service_ids.includes(service.id));

  function submit() {
    if (!isBookable(draft)) return;
    if (!signedIn) {
      void navigate(signInPath(location.pathname + location.search));
      return;
    }
    const start = draft.slotStart;
    setTakenTime(null);
    book.mutate(
      { serviceId: draft.serviceId, start, staffId: draft.staffId },
      {
        onSuccess: (appointment) =>
          void navigate(`/appointments/${appointment.id}`, { state: { booked: true } }),
        onError: (error) => {
          if (!isSlotTaken(error)) return;
          setTakenTime(formatTime(start, salon.timezone));
          taken.add(start);
          dispatch({ type: "slotTaken" });
        },
      },
    );
  }

  return (
    <section aria-labelledby="booking-heading" className="booking-panel">
      <h2 id="booking-heading">{t("booking.heading")}</h2>
      <ServiceChoice
        services={salon.services}
        selected={draft.serviceId}
        onChoose={(id) => {
          dispatch({ type: "chooseService", serviceId: id });
        }}
      />
      {service && staffForService.length > 0 && (
        <StaffChoice
          staff={staffForService}
          selected={draft.staffId}
          onChoose={(id) => {
            dispatch({ type: "chooseStaff", staffId: id });
          }}
        />
      )}
      {!service && <p>{t("booking.pickServiceFirst")}</p>}
      {service && (
        <>
          <h3>{t("booking.chooseTime")}</h3>
          {takenTime && (
            <p role="alert" className="notice notice-error">
              {t("booking.slotTakenFresh", { time: takenTime })}
            </p>
          )}
          <SlotPicker
            salonId={salon.id}
            serviceId={service.id}
            staffId={draft.staffId}
            timezone={salon.timezone}
            taken={taken.starts}
            day={draft.day}
            selected={draft.slotStart}
            onDay={(day) => {
              dispatch({ type: "chooseDay", day });
            }}
            onSelect={(slot) => {
              setTakenTime(null);
              dispatch({ type: "chooseSlot", slotStart: slot.start });
            }}
          />
        </>
      )}
      {service && draft.slotStart && (
        <div className="booking-summary">
          <p>
            {t("booking.summary", {
              service: service.name,
              when: formatDateTime(draft.slotStart, salon.timezone),
            })}
            {draft.staffId && (
              <>
                {" "}
                {t("booking.withStaff", {
                  staff: salon.staff.find((m) => m.id === draft.staffId)?.name ?? "",
                })}
              </>
            )}
          </p>
          {!signedIn && <p className="hint">{t("booking.signInToBook")}</p>}
          {book.error && !isSlotTaken(book.error) && <ErrorNotice error={book.error} />}
          <button type="button" className="primary" disabled={book.isPending} onClick={submit}>
            {book.isPending ? t("booking.booking") : t("booking.book")}
          </button>
        </div>
      )}
    </section>
  );
}

function ServiceChoice({
  services,
  selected,
  onChoose,
}: {
  services: Service[];
  selected: string | null;
  onChoose: (id: string) => void;
}) {
  const name = useId();
  return (
    <fieldset className="choices">
      <legend>{t("booking.chooseService")}</legend>
      {services.map((service) => (
        <label key={service.id} className="choice">
          <input
            type="radio"
            name={name}
            value={service.id}
            checked={service.id === selected}
            onChange={() => {
              onChoose(service.id);
            }}
          />
          <span>
            {service.name} · {t("salon.minutes", { minutes: service.duration_minutes })} ·{" "}
            {formatPrice(service.price, service.currency)}
          </span>
        </label>
      ))}
    </fieldset>
  );
}

function StaffChoice({
  staff,
  selected,
  onChoose,
}: {
  staff: SalonDetail["staff"];
  selected: string | null;
  onChoose: (id: string | null) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{t("booking.chooseStaff")}</label>
      <select
        id={id}
        value={selected ?? ""}
        onChange={(e) => {
          onChoose(e.target.value || null);
        }}
      >
        <option value="">{t("booking.anyStaff")}</option>
        {staff.map((member) => (
          <option key={member.id} value={member.id}>
            {member.name}
          </option>
        ))}
      </select>
    </div>
  );
}
