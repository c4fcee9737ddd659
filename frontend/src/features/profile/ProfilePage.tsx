import { useState, type SubmitEvent } from "react";
import { fieldErrors } from "../../api/errors";
import { useMe, useUpdateProfile } from "../../api/queries";
import type { User } from "../../api/types";
import { Checkbox, Field } from "../../components/Field";
import { ErrorNotice, Loading, StatusNotice } from "../../components/Notice";
import { usePageTitle } from "../../components/usePageTitle";
import { t } from "../../i18n";
import { AccountSettings } from "../account/AccountSettings";

/** Name, phone and how the person wants confirmations and reminders. */
export function ProfilePage() {
  usePageTitle(t("profile.heading"));
  const me = useMe();
  return (
    <div className="narrow">
      <h1>{t("profile.heading")}</h1>
      {me.isPending && <Loading />}
      <ErrorNotice error={me.error} />
      {me.isSuccess && <ProfileForm user={me.data} />}
      <AccountSettings />
    </div>
  );
}

function ProfileForm({ user }: { user: User }) {
  const update = useUpdateProfile();
  const [form, setForm] = useState({
    first_name: user.first_name,
    last_name: user.last_name,
    phone: user.phone,
    notify_by_email: user.notify_by_email,
    notify_by_sms: user.notify_by_sms,
  });
  const errors = fieldErrors(update.error);
  function submit(event: SubmitEvent) {
    event.preventDefault();
    update.mutate(form);
  }
  return (
    <form onSubmit={submit} noValidate>
      <Field
        label={t("account.firstName")}
        autoComplete="given-name"
        value={form.first_name}
        error={errors.first_name}
        onChange={(e) => {
          setForm({ ...form, first_name: e.target.value });
        }}
      />
      <Field
        label={t("account.lastName")}
        autoComplete="family-name"
        value={form.last_name}
        error={errors.last_name}
        onChange={(e) => {
          setForm({ ...form, last_name: e.target.value });
        }}
      />
      <Field
        label={t("account.phone")}
        type="tel"
        autoComplete="tel"
        value={form.phone}
        error={errors.phone}
        onChange={(e) => {
          setForm({ ...form, phone: e.target.value });
        }}
      />
      <fieldset>
        <legend>{t("profile.notifications")}</legend>
        <Checkbox
          label={t("profile.byEmail")}
          checked={form.notify_by_email}
          onChange={(e) => {
            setForm({ ...form, notify_by_email: e.target.checked });
          }}
        />
        <Checkbox
          label={t("profile.bySms")}
          checked={form.notify_by_sms}
          onChange={(e) => {
            setForm({ ...form, notify_by_sms: e.target.checked });
          }}
        />
      </fieldset>
      <ErrorNotice error={update.error} />
      {update.isSuccess && <StatusNotice>{t("common.saved")}</StatusNotice>}
      <button type="submit" className="primary" disabled={update.isPending}>
        {t("common.save")}
      </button>
    </form>
  );
}
