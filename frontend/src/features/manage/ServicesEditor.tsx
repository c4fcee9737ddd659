import { useState, type SubmitEvent } from "react";
import { fieldErrors } from "../../api/errors";
import type { ManagedService } from "../../api/types";
import { Field } from "../../components/Field";
import { ErrorNotice, StatusNotice } from "../../components/Notice";
import { t } from "../../i18n";
import { formatPrice } from "../../lib/money";
import { useAddService, useManagedServices, useUpdateService } from "./queries";

const newService = { name: "", duration_minutes: 30, price: "", currency: "EUR" };

/** The salon's services: change duration and price, deactivate, add. */
export function ServicesEditor({ salonId }: { salonId: string }) {
  const services = useManagedServices(salonId);
  const add = useAddService(salonId);
  const [form, setForm] = useState(newService);
  const errors = fieldErrors(add.error);
  function submit(event: SubmitEvent) {
    event.preventDefault();
    add.mutate(form, {
      onSuccess: () => {
        setForm(newService);
      },
    });
  }
  return (
    <section aria-labelledby="services-heading" className="panel">
      <h2 id="services-heading">{t("manage.services")}</h2>
      <ErrorNotice error={services.error} />
      <ul className="plain">
        {services.data?.map((service) => (
          <ServiceRow
            key={`${service.id}-${service.duration_minutes}-${service.price}-${String(service.is_active)}`}
            salonId={salonId}
            service={service}
          />
        ))}
      </ul>
      <form onSubmit={submit} className="inline-form">
        <h3>{t("manage.addService")}</h3>
        <Field
          label={t("manage.name")}
          required
          value={form.name}
          error={errors.name}
          onChange={(e) => {
            setForm({ ...form, name: e.target.value });
          }}
        />
        <Field
          label={t("manage.duration")}
          type="number"
          min={5}
          required
          value={form.duration_minutes}
          error={errors.duration_minutes}
          onChange={(e) => {
            setForm({ ...form, duration_minutes: e.target.valueAsNumber });
          }}
        />
        <Field
          label={t("manage.price")}
          inputMode="decimal"
          required
          value={form.price}
          error={errors.price}
          onChange={(e) => {
            setForm({ ...form, price: e.target.value });
          }}
        />
        <Field
          label={t("manage.currency")}
          required
          maxLength={3}
          value={form.currency}
          error={errors.currency}
          onChange={(e) => {
            setForm({ ...form, currency: e.target.value.toUpperCase() });
          }}
        />
        <ErrorNotice error={add.error} />
        <button type="submit" disabled={add.isPending}>
          {t("manage.addService")}
        </button>
      </form>
    </section>
  );
}

function ServiceRow({ salonId, service }: { salonId: string; service: ManagedService }) {
  const update = useUpdateService(salonId);
  const [form, setForm] = useState({
    duration_minutes: service.duration_minutes,
    price: service.price,
  });
  function submit(event: SubmitEvent) {
    event.preventDefault();
    update.mutate({ serviceId: service.id, changes: form });
  }
  return (
    <li>
      <details>
        <summary>
          {service.name} · {t("salon.minutes", { minutes: service.duration_minutes })} ·{" "}
          {formatPrice(service.price, service.currency)}
          {!service.is_active && <> · {t("manage.closed")}</>}
        </summary>
        <form onSubmit={submit} className="inline-form">
          <Field
            label={t("manage.duration")}
            type="number"
            min={5}
            value={form.duration_minutes}
            onChange={(e) => {
              setForm({ ...form, duration_minutes: e.target.valueAsNumber });
            }}
          />
          <Field
            label={t("manage.price")}
            inputMode="decimal"
            value={form.price}
            onChange={(e) => {
              setForm({ ...form, price: e.target.value });
            }}
          />
          <ErrorNotice error={update.error} />
          {update.isSuccess && <StatusNotice>{t("common.saved")}</StatusNotice>}
          <button type="submit" disabled={update.isPending}>
            {t("common.save")}
          </button>
          {service.is_active && (
            <button
              type="button"
              className="danger"
              disabled={update.isPending}
              onClick={() => {
                update.mutate({ serviceId: service.id, changes: { is_active: false } });
              }}
            >
              {t("manage.deactivate")}
            </button>
          )}
        </form>
      </details>
    </li>
  );
}
