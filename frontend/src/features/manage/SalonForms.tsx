import { useState, type SubmitEvent } from "react";
import { fieldErrors } from "../../api/errors";
import type { ManagedSalonDetail, Policy, TimeZoneName } from "../../api/types";
import { Checkbox, Field } from "../../components/Field";
import { ErrorNotice, Loading, StatusNotice } from "../../components/Notice";
import { t } from "../../i18n";
import { usePolicy, useUpdatePolicy, useUpdateSalon } from "./queries";

export function SalonDetailsForm({ salon }: { salon: ManagedSalonDetail }) {
  const update = useUpdateSalon(salon.id);
  const [form, setForm] = useState({
    name: salon.name,
    description: salon.description,
    phone: salon.phone,
    timezone: salon.timezone,
    is_active: salon.is_active,
  });
  const errors = fieldErrors(update.error);
  function submit(event: SubmitEvent) {
    event.preventDefault();
    // The salon's own zone came from the API, so it is one of the names the API accepts.
    update.mutate({ ...form, timezone: form.timezone as TimeZoneName });
  }
  return (
    <section aria-labelledby="salon-heading" className="panel">
      <h2 id="salon-heading">{t("manage.salon")}</h2>
      <form onSubmit={submit}>
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
          label={t("manage.description")}
          value={form.description}
          error={errors.description}
          onChange={(e) => {
            setForm({ ...form, description: e.target.value });
          }}
        />
        <Field
          label={t("salon.phone")}
          type="tel"
          value={form.phone}
          error={errors.phone}
          onChange={(e) => {
            setForm({ ...form, phone: e.target.value });
          }}
        />
        <Field
          label={t("manage.timezone")}
          value={form.timezone}
          error={errors.timezone}
          onChange={(e) => {
            setForm({ ...form, timezone: e.target.value });
          }}
        />
        <Checkbox
          label={t("manage.active")}
          checked={form.is_active}
          onChange={(e) => {
            setForm({ ...form, is_active: e.target.checked });
          }}
        />
        <ErrorNotice error={update.error} />
        {update.isSuccess && <StatusNotice>{t("common.saved")}</StatusNotice>}
        <button type="submit" disabled={update.isPending}>
          {t("common.save")}
        </button>
      </form>
    </section>
  );
}

export function PolicyForm({ salonId }: { salonId: string }) {
  const policy = usePolicy(salonId);
  return (
    <section aria-labelledby="policy-heading" className="panel">
      <h2 id="policy-heading">{t("manage.policy")}</h2>
      {policy.isPending && <Loading />}
      <ErrorNotice error={policy.error} />
      {policy.data && (
        <PolicyFields key={JSON.stringify(policy.data)} salonId={salonId} policy={policy.data} />
      )}
    </section>
  );
}

const POLICY_FIELDS = [
  ["min_notice_minutes", "manage.minNotice"],
  ["horizon_days", "manage.horizon"],
  ["cancellation_cutoff_minutes", "manage.cutoff"],
  ["slot_step_minutes", "manage.slotStep"],
] as const;

function PolicyFields({ salonId, policy }: { salonId: string; policy: Policy }) {
  const update = useUpdatePolicy(salonId);
  const [form, setForm] = useState(policy);
  const errors = fieldErrors(update.error);
  function submit(event: SubmitEvent) {
    event.preventDefault();
    update.mutate(form);
  }
  return (
    <form onSubmit={submit}>
      {POLICY_FIELDS.map(([name, label]) => (
        <Field
          key={name}
          label={t(label)}
          type="number"
          min={0}
          required
          value={form[name]}
          error={errors[name]}
          onChange={(e) => {
            setForm({ ...form, [name]: e.target.valueAsNumber });
          }}
        />
      ))}
      <ErrorNotice error={update.error} />
      {update.isSuccess && <StatusNotice>{t("common.saved")}</StatusNotice>}
      <button type="submit" disabled={update.isPending}>
        {t("common.save")}
      </button>
    </form>
  );
}
