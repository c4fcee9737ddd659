import { useState, type SubmitEvent } from "react";
import { ErrorNotice, StatusNotice } from "../../components/Notice";
import { t, type MessageKey } from "../../i18n";

export interface Interval {
  weekday: number;
  start: string; // "HH:MM"
  end: string;
}

const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6] as const;

interface Props {
  heading?: string;
  intervals: Interval[];
  saving: boolean;
  saved: boolean;
  error: unknown;
  onSave: (intervals: Interval[]) => void;
}

/** Weekly hours as intervals per weekday (none = closed), saved as one replacement. */
export function WeeklyHoursEditor({ heading, intervals, saving, saved, error, onSave }: Props) {
  const [draft, setDraft] = useState(intervals);
  const update = (index: number, change: Partial<Interval>) => {
    setDraft(draft.map((d, i) => (i === index ? { ...d, ...change } : d)));
  };
  function submit(event: SubmitEvent) {
    event.preventDefault();
    onSave(draft);
  }
  return (
    <form onSubmit={submit} className="hours-editor">
      {heading && <h3>{heading}</h3>}
      {WEEKDAYS.map((weekday) => {
        const dayName = t(`weekday.${weekday}` as MessageKey);
        const rows = draft
          .map((d, index) => ({ d, index }))
          .filter(({ d }) => d.weekday === weekday);
        return (
          <fieldset key={weekday} className="weekday">
            <legend>{dayName}</legend>
            {rows.length === 0 && <span className="hint">{t("manage.closed")}</span>}
            {rows.map(({ d, index }) => (
              <div key={index} className="interval">
                <label>
                  {t("manage.opens")}{" "}
                  <input
                    type="time"
                    required
                    value={d.start}
                    onChange={(e) => {
                      update(index, { start: e.target.value });
                    }}
                  />
                </label>
                <label>
                  {t("manage.closes")}{" "}
                  <input
                    type="time"
                    required
                    value={d.end}
                    onChange={(e) => {
                      update(index, { end: e.target.value });
                    }}
                  />
                </label>
                <button
                  type="button"
                  aria-label={`${t("common.remove")} ${dayName} ${d.start}–${d.end}`}
                  onClick={() => {
                    setDraft(draft.filter((_, i) => i !== index));
                  }}
                >
                  {t("common.remove")}
                </button>
              </div>
            ))}
            <button
              type="button"
              aria-label={`${t("common.add")} ${dayName}`}
              onClick={() => {
                setDraft([...draft, { weekday, start: "09:00", end: "17:00" }]);
              }}
            >
              {t("common.add")}
            </button>
          </fieldset>
        );
      })}
      <ErrorNotice error={error} />
      {saved && <StatusNotice>{t("common.saved")}</StatusNotice>}
      <button type="submit" className="primary" disabled={saving}>
        {t("manage.saveHours")}
      </button>
    </form>
  );
}

/** "09:00:00" from the API → "09:00" for a time input. */
export function hhmm(time: string): string {
  return time.slice(0, 5);
}
