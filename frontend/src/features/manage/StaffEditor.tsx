import { useState, type SubmitEvent } from "react";
import type { ManagedStaff } from "../../api/types";
import { Field } from "../../components/Field";
import { ErrorNotice, Loading } from "../../components/Notice";
import { t } from "../../i18n";
import { formatDateTime, wallTimeToInstant } from "../../lib/time";
import {
  useAddStaff,
  useAddTimeOff,
  useManagedStaff,
  useRemoveTimeOff,
  useReplaceWorkingHours,
  useTimeOff,
  useWorkingHours,
} from "./queries";
import { WeeklyHoursEditor, hhmm } from "./WeeklyHoursEditor";

/** Staff members with their working hours and time off; add a new one. */
export function StaffEditor({ salonId, timezone }: { salonId: string; timezone: string }) {
  const staff = useManagedStaff(salonId);
  const add = useAddStaff(salonId);
  const [name, setName] = useState("");
  function submit(event: SubmitEvent) {
    event.preventDefault();
    add.mutate(
      { display_name: name },
      {
        onSuccess: () => {
          setName("");
        },
      },
    );
  }
  return (
    <section aria-labelledby="staff-heading" className="panel">
      <h2 id="staff-heading">{t("manage.staff")}</h2>
      <ErrorNotice error={staff.error} />
      {staff.data?.map((member) => (
        <details key={member.id} className="staff-member">
          <summary>{member.display_name}</summary>
          <StaffHours salonId={salonId} member={member} />
          <StaffTimeOff salonId={salonId} member={member} timezone={timezone} />
        </details>
      ))}
      <form onSubmit={submit} className="inline-form">
        <Field
          label={t("manage.displayName")}
          required
          value={name}
          onChange={(e) => {
            setName(e.target.value);
          }}
        />
        <ErrorNotice error={add.error} />
        <button type="submit" disabled={add.isPending}>
          {t("manage.addStaff")}
        </button>
      </form>
    </section>
  );
}

function StaffHours({ salonId, member }: { salonId: string; member: ManagedStaff }) {
  const hours = useWorkingHours(salonId, member.id);
  const replace = useReplaceWorkingHours(salonId, member.id);
  if (hours.isPending) return <Loading />;
  if (hours.isError) return <ErrorNotice error={hours.error} />;
  return (
    <WeeklyHoursEditor
      key={JSON.stringify(hours.data)}
      heading={t("manage.staffHours", { name: member.display_name })}
      intervals={hours.data.map((h) => ({
        weekday: h.weekday,
        start: hhmm(h.starts),
        end: hhmm(h.ends),
      }))}
      saving={replace.isPending}
      saved={replace.isSuccess}
      error={replace.error}
      onSave={(intervals) => {
        replace.mutate(
          intervals.map((i) => ({ weekday: i.weekday, starts: i.start, ends: i.end })),
        );
      }}
    />
  );
}

const emptyTimeOff = { fromDay: "", fromTime: "09:00", toDay: "", toTime: "18:00", reason: "" };

function StaffTimeOff({
  salonId,
  member,
  timezone,
}: {
  salonId: string;
  member: ManagedStaff;
  timezone: string;
}) {
  const timeOff = useTimeOff(salonId, member.id);
  const add = useAddTimeOff(salonId, member.id);
  const remove = useRemoveTimeOff(salonId, member.id);
  const [form, setForm] = useState(emptyTimeOff);
  function submit(event: SubmitEvent) {
    event.preventDefault();
    // Wall-clock times in the salon's zone, sent as instants with an offset.
    const start = wallTimeToInstant(form.fromDay, form.fromTime, timezone);
    const end = wallTimeToInstant(form.toDay || form.fromDay, form.toTime, timezone);
    add.mutate(
      { start, end, reason: form.reason },
      {
        onSuccess: () => {
          setForm(emptyTimeOff);
        },
      },
    );
  }
  return (
    <div className="time-off">
      <h3>{t("manage.timeOff", { name: member.display_name })}</h3>
      <ErrorNotice error={timeOff.error ?? remove.error} />
      <ul className="plain">
        {timeOff.data?.map((item) => {
          const label = `${formatDateTime(item.start, timezone)} – ${formatDateTime(item.end, timezone)}${item.reason ? ` (${item.reason})` : ""}`;
          return (
            <li key={item.id}>
              {label}{" "}
              <button
                type="button"
                aria-label={`${t("common.remove")} ${label}`}
                onClick={() => {
                  remove.mutate(item.id);
                }}
              >
                {t("common.remove")}
              </button>
            </li>
          );
        })}
      </ul>
      <form onSubmit={submit} className="inline-form">
        <Field
          label={t("manage.from")}
          type="date"
          required
          value={form.fromDay}
          onChange={(e) => {
            setForm({ ...form, fromDay: e.target.value });
          }}
        />
        <Field
          label={`${t("manage.from")} ${t("manage.opens")}`}
          type="time"
          required
          value={form.fromTime}
          onChange={(e) => {
            setForm({ ...form, fromTime: e.target.value });
          }}
        />
        <Field
          label={t("manage.to")}
          type="date"
          value={form.toDay}
          onChange={(e) => {
            setForm({ ...form, toDay: e.target.value });
          }}
        />
        <Field
          label={`${t("manage.to")} ${t("manage.closes")}`}
          type="time"
          required
          value={form.toTime}
          onChange={(e) => {
            setForm({ ...form, toTime: e.target.value });
          }}
        />
        <Field
          label={t("manage.reason")}
          value={form.reason}
          onChange={(e) => {
            setForm({ ...form, reason: e.target.value });
          }}
        />
        <ErrorNotice error={add.error} />
        <button type="submit" disabled={add.isPending}>
          {t("manage.addTimeOff")}
        </button>
      </form>
    </div>
  );
}
