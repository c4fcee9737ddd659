import { useState, type SubmitEvent } from "react";
import { Field } from "../../components/Field";
import { ErrorNotice } from "../../components/Notice";
import { t } from "../../i18n";
import { formatDay } from "../../lib/time";
import { useAddClosure, useClosures, useRemoveClosure } from "./queries";

/** Days the whole salon is closed (holidays), added and removed. */
export function ClosuresEditor({ salonId }: { salonId: string }) {
  const closures = useClosures(salonId);
  const add = useAddClosure(salonId);
  const remove = useRemoveClosure(salonId);
  const [form, setForm] = useState({ start_date: "", end_date: "", reason: "" });
  function submit(event: SubmitEvent) {
    event.preventDefault();
    add.mutate(form, {
      onSuccess: () => {
        setForm({ start_date: "", end_date: "", reason: "" });
      },
    });
  }
  return (
    <section aria-labelledby="closures-heading" className="panel">
      <h2 id="closures-heading">{t("manage.closures")}</h2>
      <ErrorNotice error={closures.error ?? remove.error} />
      {closures.data?.length === 0 && <p>{t("common.none")}</p>}
      <ul className="plain">
        {closures.data?.map((c) => {
          const label = `${formatDay(c.start_date)} – ${formatDay(c.end_date)}${c.reason ? ` (${c.reason})` : ""}`;
          return (
            <li key={c.id}>
              {label}{" "}
              <button
                type="button"
                aria-label={`${t("common.remove")} ${label}`}
                onClick={() => {
                  remove.mutate(c.id);
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
          value={form.start_date}
          onChange={(e) => {
            setForm({ ...form, start_date: e.target.value });
          }}
        />
        <Field
          label={t("manage.to")}
          type="date"
          required
          value={form.end_date}
          onChange={(e) => {
            setForm({ ...form, end_date: e.target.value });
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
          {t("manage.addClosure")}
        </button>
      </form>
    </section>
  );
}
