import { useAvailability } from "../../api/queries";
import type { Slot } from "../../api/types";
import { ErrorNotice, Loading } from "../../components/Notice";
import { t } from "../../i18n";
import {
  addDays,
  browserZone,
  formatDay,
  formatTime,
  groupByDay,
  todayIn,
  windowStart,
  zoneLabel,
  zonesDiffer,
  type IsoDate,
} from "../../lib/time";

const WINDOW_DAYS = 7;

export interface SlotPickerProps {
  salonId: string;
  serviceId: string;
  staffId: string | null;
  timezone: string;
  day: IsoDate | null;
  selected: string | null;
  onDay: (day: IsoDate) => void;
  onSelect: (slot: Slot) => void;
  /** Starts known to be taken (a lost race) though a lagging read may still list them. */
  taken?: ReadonlySet<string>;
  /** A zone to convert to instead of the browser's (for tests). */
  viewerZone?: string;
}

/** Free times of a week, by day, in the salon's time zone (and the viewer's when different). */
export function SlotPicker(props: SlotPickerProps) {
  const { salonId, serviceId, staffId, timezone, selected, onDay, onSelect } = props;
  const today = todayIn(timezone);
  const day = props.day ?? today;
  const from = windowStart(today, day, WINDOW_DAYS);
  const to = addDays(from, WINDOW_DAYS - 1);
  const availability = useAvailability({ salonId, serviceId, staffId, from, to });
  const taken = props.taken;
  const slots = (availability.data?.slots ?? []).filter((slot) => !taken?.has(slot.start));
  const byDay = groupByDay(slots, timezone);
  const days = Array.from({ length: WINDOW_DAYS }, (_, i) => addDays(from, i));
  const viewerZone = props.viewerZone ?? browserZone();
  const convert = zonesDiffer(timezone, viewerZone, `${day}T12:00:00Z`);

  return (
    <div className="slot-picker">
      <p className="zone-note">
        {t("booking.salonZone", { zone: zoneLabel(timezone, `${day}T12:00:00Z`) })}
        {convert && (
          <> {t("booking.yourZone", { zone: zoneLabel(viewerZone, `${day}T12:00:00Z`) })}</>
        )}
      </p>
      <div className="week-nav">
        <button
          type="button"
          disabled={from <= today}
          onClick={() => {
            onDay(addDays(from, -WINDOW_DAYS));
          }}
        >
          {t("booking.previousWeek")}
        </button>
        <button
          type="button"
          onClick={() => {
            onDay(addDays(from, WINDOW_DAYS));
          }}
        >
          {t("booking.nextWeek")}
        </button>
      </div>
      <div role="group" aria-label={t("booking.days")} className="days">
        {days.map((d) => (
          <button
            key={d}
            type="button"
            aria-pressed={d === day}
            onClick={() => {
              onDay(d);
            }}
          >
            {formatDay(d)}
            <span className="count">
              {availability.isSuccess
                ? t("booking.freeCount", { count: byDay.get(d)?.length ?? 0 })
                : ""}
            </span>
          </button>
        ))}
      </div>
      {availability.isPending && <Loading />}
      <ErrorNotice error={availability.error} />
      {availability.isSuccess && (
        <SlotList
          slots={byDay.get(day) ?? []}
          label={t("booking.timesFor", { day: formatDay(day) })}
          timezone={timezone}
          viewerZone={convert ? viewerZone : null}
          selected={selected}
          onSelect={onSelect}
        />
      )}
    </div>
  );
}

interface SlotListProps {
  slots: Slot[];
  label: string;
  timezone: string;
  viewerZone: string | null;
  selected: string | null;
  onSelect: (slot: Slot) => void;
}

function SlotList({ slots, label, timezone, viewerZone, selected, onSelect }: SlotListProps) {
  if (slots.length === 0) return <p>{t("booking.noSlotsDay")}</p>;
  return (
    <div role="group" aria-label={label} className="slots">
      {slots.map((slot) => (
        <button
          key={slot.start}
          type="button"
          className="slot"
          aria-pressed={slot.start === selected}
          onClick={() => {
            onSelect(slot);
          }}
        >
          <SlotLabel start={slot.start} timezone={timezone} viewerZone={viewerZone} />
        </button>
      ))}
    </div>
  );
}

/** "10:30", and below it the viewer's own time when their zone differs. */
export function SlotLabel({
  start,
  timezone,
  viewerZone,
}: {
  start: string;
  timezone: string;
  viewerZone: string | null;
}) {
  return (
    <>
      <span className="time">{formatTime(start, timezone)}</span>
      {viewerZone !== null && (
        <>
          {" "}
          <span className="local">
            {t("booking.yourTime", { time: formatTime(start, viewerZone) })}
          </span>
        </>
      )}
    </>
  );
}
